import { describe, expect, it } from 'vitest';
import { headlineFigures, problemBars, resizeCommissioners, sortCommissioners } from './figures';

const dashboard = {
  enterprises: 1234,
  enterprisesWithShortage: 44,
  totalShortage: 650,
  visits: { last30Days: 78, coverage30Days: 0.4848, overdue: 10 },
  problems: {
    open: 59,
    notStarted: 38,
    inProgress: 21,
    awaitingReview: 12,
    overdue: 55,
    closedLast30Days: 16,
    medianDaysToClose: 7.5,
  },
};

describe('dashboard figures', () => {
  it('shows each figure with the list it counts', () => {
    const figures = headlineFigures(dashboard, Date.parse('2026-12-01T20:00:00Z'));
    const byLabel = Object.fromEntries(figures.map((f) => [f.label, f]));
    expect(byLabel['重点企业']).toMatchObject({ value: '1,234', to: '/enterprises' });
    expect(byLabel['缺工企业'].to).toBe('/enterprises?hasShortage=true');
    expect(byLabel['近30天走访覆盖率'].value).toBe('48.5%');
    // 20:00 UTC is already the next day in Beijing.
    expect(byLabel['近30天走访'].to).toEqual({ path: '/visits', query: { from: '2026-11-02', to: '2026-12-02' } });
    expect(byLabel['走访逾期企业'].to).toBe('/enterprises?visitOverdue=true');
    expect(byLabel['未办结问题'].to).toBe('/problems?status=open_or_in_progress');
    expect(byLabel['逾期问题']).toMatchObject({ value: '55', to: '/problems?overdue=true', tone: 'danger' });
    expect(byLabel['待审核问题'].to).toBe('/problems?status=resolved');
    expect(byLabel['办结用时中位数'].value).toBe('7.5 天');
  });

  it('shows a dash when nothing was closed lately', () => {
    const figures = headlineFigures({ ...dashboard, problems: { ...dashboard.problems, medianDaysToClose: null } });
    expect(figures.find((f) => f.label === '办结用时中位数')!.value).toBe('—');
  });

  it('charts problems by state', () => {
    expect(problemBars(dashboard.problems).map((b) => [b.key, b.value])).toEqual([
      ['open', 38],
      ['in_progress', 21],
      ['resolved', 12],
    ]);
  });
});

describe('per-commissioner table', () => {
  const onPage3 = { page: 3, pageSize: 20, sort: 'enterprises' as const };

  it('asks the server for a column header’s sort, from the first page', () => {
    expect(sortCommissioners(onPage3, 'overdueProblems', 'descending')).toEqual({
      page: 1,
      pageSize: 20,
      sort: '-overdueProblems',
    });
    expect(sortCommissioners(onPage3, 'displayName', 'ascending')).toMatchObject({ page: 1, sort: 'displayName' });
  });

  it('goes back to the server’s order when the sort is cleared or the column is not sortable', () => {
    expect(sortCommissioners(onPage3, 'overdueProblems', null)).toEqual({ page: 1, pageSize: 20, sort: undefined });
    expect(sortCommissioners(onPage3, 'commissionerId', 'ascending').sort).toBeUndefined();
  });

  it('starts again from the first page with a new page size, keeping the sort', () => {
    expect(resizeCommissioners(onPage3, 50)).toEqual({ page: 1, pageSize: 50, sort: 'enterprises' });
  });
});
