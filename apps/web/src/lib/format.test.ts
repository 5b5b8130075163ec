import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber } from './format';

describe('formats', () => {
  it('shows moments in Beijing time whatever the browser zone is', () => {
    // 16:30 UTC is 00:30 the next day in Beijing: the date changes too.
    expect(formatDateTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30');
    expect(formatDate('2026-12-31T16:30:00Z')).toBe('2027-01-01');
    expect(formatDateTime('2026-03-05T01:07:00+08:00')).toBe('2026-03-05 01:07');
    expect(formatDateTime(null)).toBe('—');
  });

  it('groups thousands', () => {
    expect(formatNumber(100000)).toBe('100,000');
  });
});
