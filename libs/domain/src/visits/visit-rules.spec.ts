import { nextVisitDueAt, visitDueCutoff } from './visit-rules';

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
