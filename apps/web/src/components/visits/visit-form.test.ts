import { describe, expect, it } from 'vitest';
import {
  emptyVisitForm,
  errorsByKey,
  fromLocalInput,
  hasContent,
  hasErrors,
  isFutureDay,
  localErrors,
  newDemandRow,
  newProblemRow,
  splitFieldErrors,
  toLocalInput,
  visitBody,
} from './visit-form';

const NOW = new Date('2025-03-10T02:00:00Z');

describe('the visit form', () => {
  it('starts now, on site, with nothing typed', () => {
    const form = emptyVisitForm(NOW);
    expect(form.visitedAt).toBe(NOW.getTime());
    expect(form.method).toBe('on_site');
    expect(hasContent(form)).toBe(false);
    expect(hasContent({ ...form, demands: [newDemandRow()] })).toBe(true);
    expect(hasContent({ ...form, summary: ' 看了车间' })).toBe(true);
  });

  it('refuses a visit time in the future, and greys out the days after today', () => {
    const form = emptyVisitForm(NOW);
    expect(localErrors(form, NOW)).toEqual({});
    expect(localErrors({ ...form, visitedAt: NOW.getTime() + 60_000 }, NOW)).toEqual({ visitedAt: '不能晚于当前时间' });
    expect(isFutureDay(new Date(NOW.getTime() + 2 * 86_400_000), NOW)).toBe(true);
    expect(isFutureDay(new Date(NOW.getTime() - 86_400_000), NOW)).toBe(false);
  });

  it('sends the rows in the API shape, leaving out what was not given', () => {
    const demand = { ...newDemandRow(), occupation: ' 焊工 ', occupationCategory: '6', headcount: 3, salaryMin: 4000 };
    const problem = {
      ...newProblemRow(),
      title: '招工难',
      category: 'recruitment' as const,
      priority: 'high' as const,
    };
    const form = {
      ...emptyVisitForm(NOW),
      method: 'phone' as const,
      summary: ' 电话了解情况 ',
      employeeCount: 120,
      demands: [demand],
      problems: [problem],
    };
    const body = visitBody(form);
    expect(body).toEqual({
      clientRequestId: form.clientRequestId,
      visitedAt: NOW.toISOString(),
      method: 'phone',
      summary: '电话了解情况',
      employeeCount: 120,
      demands: [
        {
          occupation: '焊工',
          occupationCategory: '6',
          headcount: 3,
          salaryMin: 4000,
          salaryMax: undefined,
          urgency: 'normal',
        },
      ],
      problems: [{ title: '招工难', category: 'recruitment', priority: 'high', description: undefined }],
    });
    // No rows: no arrays; a cleared number (null from the input) is not sent.
    const plain = visitBody({ ...emptyVisitForm(NOW), summary: '走访', employeeCount: null as unknown as number });
    expect(plain).not.toHaveProperty('demands');
    expect(plain).not.toHaveProperty('problems');
    expect(plain).not.toHaveProperty('employeeCount');
  });

  it("puts the API's errors on the row and field they name, in Chinese", () => {
    const errors = splitFieldErrors([
      { field: 'summary', message: 'must be longer than or equal to 2 characters' },
      { field: 'demands.1.headcount', message: 'must not be less than 1' },
      { field: 'demands.1.headcount', message: 'is required' },
      { field: 'demands.1.salaryMin', message: 'must not exceed salaryMax' },
      { field: 'demands.0.occupationCategory', message: 'must be an occupation category code' },
      { field: 'problems.0.title', message: 'must be longer than or equal to 2 characters' },
      { field: 'problems.2', message: 'nested property problems must be either object or array' },
      { field: 'demands', message: 'must contain no more than 50 elements' },
      { field: 'visitedAt', message: 'must not be in the future' },
    ]);
    expect(errors.visit).toEqual({
      summary: '至少 2 个字符',
      demands: '最多 50 条',
      visitedAt: '不能晚于当前时间',
    });
    expect(errors.demands).toEqual({
      0: { occupationCategory: '请选择职业类别' },
      1: { headcount: '不能小于 1', salaryMin: '不能高于最高月薪' },
    });
    expect(errors.problems[0]).toEqual({ title: '至少 2 个字符' });
    expect(errors.problems[2]._row).toBe('不符合要求，请检查后重试');
    expect(hasErrors(errors)).toBe(true);
    expect(hasErrors(splitFieldErrors([]))).toBe(false);
  });

  it('keeps row errors on their row when a row above is removed', () => {
    const rows = [newDemandRow(), newDemandRow()];
    const byKey = errorsByKey({ 0: { headcount: '不能小于 1' }, 5: { occupation: '必填' } }, rows);
    expect(byKey).toEqual({ [rows[0].key]: { headcount: '不能小于 1' } });
    // The first row is removed: its error goes with it, the row that moves up has none.
    const after = rows.slice(1);
    expect(after.map((row) => byKey[row.key])).toEqual([undefined]);
  });
});

describe("the phone's native time input", () => {
  it('reads back the minute it shows', () => {
    const time = new Date(2025, 2, 10, 9, 5, 42).getTime();
    expect(toLocalInput(time)).toBe('2025-03-10T09:05');
    expect(fromLocalInput('2025-03-10T09:05')).toBe(new Date(2025, 2, 10, 9, 5).getTime());
    expect(fromLocalInput('')).toBeNaN();
  });
});
