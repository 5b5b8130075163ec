import { isIsoDate, parseIsoDateTime } from './validators';

describe('dates at the edge', () => {
  it('takes ISO 8601 date-times with an offset that name a real moment', () => {
    expect(parseIsoDateTime('2026-11-27T09:30:00+08:00')?.toISOString()).toBe('2026-11-27T01:30:00.000Z');
    expect(parseIsoDateTime('2024-02-29T23:59:59.123456Z')?.toISOString()).toBe('2024-02-29T23:59:59.123Z');
    expect(parseIsoDateTime('2026-01-01T00:00-14:00')?.toISOString()).toBe('2026-01-01T14:00:00.000Z');
  });

  it('refuses days, hours and offsets that do not exist instead of rolling them over', () => {
    for (const value of [
      '2026-02-29T10:00:00Z',
      '2026-02-30T10:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-00-10T10:00:00Z',
      '2026-01-00T10:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:60:00Z',
      '2026-01-01T10:00:60Z',
      '2026-01-01T10:00:00+15:00',
      '2026-01-01T10:00:00+14:30',
      '2026-01-01T10:00:00+08:60',
      '2026-01-01T10:00:00',
      '2026-01-01',
    ]) {
      expect([value, parseIsoDateTime(value)]).toEqual([value, null]);
    }
  });

  it('knows leap years in YYYY-MM-DD dates', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31'].map(isIsoDate)).toEqual([true, true, true]);
    expect(['2025-02-29', '2100-02-29', '2026-02-31', '2026-06-31', '2026-1-01', 20260101].map(isIsoDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
