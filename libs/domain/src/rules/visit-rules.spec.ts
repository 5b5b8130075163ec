import { VISIT_METHODS, type VisitMethod } from '@keydesk/database';
import { nextVisitDueAt, visitDueCutoff } from './enterprise-rules';
import { visitDateErrors, visitFieldErrors } from './visit-rules';

describe('next visit due', () => {
  const visitedAt = new Date('2026-11-01T09:00:00+08:00');

  it('is the cadence after the last visit', () => {
    expect(nextVisitDueAt({ visitedAt, nextFollowUpAt: null }, 30)?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('is the follow-up the visit set, when it set one', () => {
    const followUp = new Date('2026-11-05T09:00:00+08:00');
    expect(nextVisitDueAt({ visitedAt, nextFollowUpAt: followUp }, 30)).toEqual(followUp);
  });

  it('is unknown before the first visit', () => {
    expect(nextVisitDueAt(null, 30)).toBeNull();
  });
});

describe('visits due within a number of days', () => {
  const now = new Date('2026-11-01T09:00:00+08:00');

  it('are those due before now plus that many whole days; 0 days means overdue', () => {
    expect(visitDueCutoff(7, now).toISOString()).toBe('2026-11-08T01:00:00.000Z');
    expect(visitDueCutoff(0, now)).toEqual(now);
  });
});

describe('a visit’s follow-up', () => {
  const visitedAt = new Date('2026-11-01T09:00:00+08:00');
  const after = (days: number) => new Date(visitedAt.getTime() + days * 24 * 3600 * 1000);

  it('lies after the visit and within a year (a leap day included)', () => {
    expect(visitDateErrors({ visitedAt })).toEqual([]);
    expect(visitDateErrors({ visitedAt, nextFollowUpAt: after(366) })).toEqual([]);
    expect(visitDateErrors({ visitedAt, nextFollowUpAt: visitedAt })).toEqual([
      { field: 'nextFollowUpAt', message: 'must be after visitedAt' },
    ]);
    expect(visitDateErrors({ visitedAt, nextFollowUpAt: after(367) })).toEqual([
      { field: 'nextFollowUpAt', message: 'must be within a year of visitedAt' },
    ]);
  });
});

describe('a visit’s fields', () => {
  const visitedAt = new Date('2026-11-01T09:00:00+08:00');
  const valid = { visitedAt, method: 'on_site', summary: '走访了解用工情况' } as const;
  const fieldsOf = (errors: { field: string }[]) => errors.map((error) => error.field);

  it('accepts a visit within its bounds, and every method of the schema', () => {
    expect(visitFieldErrors({ ...valid, employeeCount: 10_000_000, returned: 0 })).toEqual([]);
    for (const method of VISIT_METHODS) expect(visitFieldErrors({ ...valid, method })).toEqual([]);
  });

  it('names every fault at once, the follow-up’s included', () => {
    const errors = visitFieldErrors({
      visitedAt,
      method: 'letter' as VisitMethod,
      summary: ' x ',
      employeeCount: -1,
      nonLocalStaying: 10_000_001,
      unableToReturn: 0.5,
      nextFollowUpAt: visitedAt,
    });
    expect(fieldsOf(errors)).toEqual([
      'method',
      'summary',
      'employeeCount',
      'nonLocalStaying',
      'unableToReturn',
      'nextFollowUpAt',
    ]);
  });

  it('names an inline item’s faults by its place in the visit', () => {
    const errors = visitFieldErrors({
      ...valid,
      demands: [
        { occupation: '焊工', occupationCategory: '6', headcount: 2 },
        { occupation: '电工', headcount: 0 },
      ],
      problems: [
        { title: '招工难', category: 'recruitment' },
        { title: 'x', category: 'recruitment' },
      ],
    });
    expect(fieldsOf(errors)).toEqual(['demands.1.headcount', 'problems.1.title']);
  });

  it('holds at most 50 demands and 50 problems', () => {
    const demands = Array.from({ length: 51 }, () => ({ occupation: '焊工', occupationCategory: '6', headcount: 1 }));
    const problems = Array.from({ length: 51 }, () => ({ title: '招工难', category: 'recruitment' as const }));
    expect(visitFieldErrors({ ...valid, demands, problems })).toEqual([
      { field: 'demands', message: 'must hold at most 50 items' },
      { field: 'problems', message: 'must hold at most 50 items' },
    ]);
  });
});
