import { describe, expect, it } from 'vitest';
import { day, visitListState } from './visit-query';

describe("走访记录's URL", () => {
  it('reads days that exist only', () => {
    expect(day('2025-03-10')).toBe('2025-03-10');
    expect(day('2025-02-30')).toBeUndefined();
    expect(day('2025-3-1')).toBeUndefined();
    expect(day(null)).toBeUndefined();
  });

  it('asks the API for whole Beijing days, and leaves out what it would refuse', () => {
    const { state, query } = visitListState({
      method: 'phone',
      from: '2025-03-01',
      to: '2025-03-10',
      commissionerId: 'not-a-uuid',
      page: '2',
    });
    expect(state).toMatchObject({ method: 'phone', from: '2025-03-01', to: '2025-03-10', page: 2, pageSize: 20 });
    expect(query).toEqual({
      method: 'phone',
      commissionerId: undefined,
      enterpriseId: undefined,
      from: '2025-03-01T00:00:00.000+08:00',
      to: '2025-03-10T23:59:59.999+08:00',
      page: 2,
      pageSize: 20,
    });
    expect(visitListState({ method: 'fax', pageSize: '500' }).query).toMatchObject({ method: undefined, pageSize: 20 });
  });

  it('reads a range given back to front as its first day', () => {
    expect(visitListState({ from: '2025-03-10', to: '2025-03-01' }).state.to).toBe('2025-03-10');
  });
});
