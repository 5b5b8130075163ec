import { describe, expect, it } from 'vitest';
import { lateDays, lateText } from './format';

describe('lateness (visits, problems)', () => {
  const now = new Date('2026-12-01T10:00:00+08:00');

  it('is nothing for a visit not yet due or without a due date', () => {
    expect(lateDays('2026-12-02T09:00:00+08:00', now)).toBeNull();
    expect(lateDays(null, now)).toBeNull();
    expect(lateText(undefined, now)).toBe('');
  });

  it('counts the bureau’s calendar days, whatever the browser’s zone', () => {
    expect(lateDays('2026-11-26T00:50:00+08:00', now)).toBe(5);
    // 23:30 the day before in Beijing is already one day late at 10:00 today.
    expect(lateDays('2026-11-30T15:30:00Z', now)).toBe(1);
    expect(lateText('2026-11-28T10:00:00+08:00', now)).toBe('逾期 3 天');
  });

  it('says so when the visit fell due earlier today', () => {
    expect(lateDays('2026-12-01T08:00:00+08:00', now)).toBe(0);
    expect(lateText('2026-12-01T08:00:00+08:00', now)).toBe('今日已到期');
  });
});
