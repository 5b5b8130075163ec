import type { RouteLocationRaw } from 'vue-router';
import type { Schemas } from '@/api/client';
import { formatNumber } from '@/lib/format';

/** A headline figure and the list it counts, opened filtered. */
export interface Figure {
  label: string;
  value: string;
  to: RouteLocationRaw;
  hint?: string;
  tone?: 'danger' | 'warning';
}

const DAY = 86_400_000;
/** A day in Beijing as YYYY-MM-DD (the visit list's range is in Beijing days). */
function beijingDay(time: number): string {
  return new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The dashboard's headline figures, each linking to the list it counts. */
export function headlineFigures(d: Schemas['DashboardView'], now = Date.now()): Figure[] {
  const visitRange = { from: beijingDay(now - 30 * DAY), to: beijingDay(now) };
  const median = d.problems.medianDaysToClose;
  return [
    { label: '重点企业', value: formatNumber(d.enterprises), to: '/enterprises' },
    { label: '缺工企业', value: formatNumber(d.enterprisesWithShortage), to: '/enterprises?hasShortage=true' },
    { label: '缺工总人数', value: formatNumber(d.totalShortage), to: '/demands', hint: '招聘中需求的缺口合计' },
    {
      label: '近30天走访覆盖率',
      value: `${Math.round(d.visits.coverage30Days * 1000) / 10}%`,
      to: { path: '/visits', query: visitRange },
      hint: '近30天走访过的企业占比',
    },
    { label: '近30天走访', value: formatNumber(d.visits.last30Days), to: { path: '/visits', query: visitRange } },
    {
      label: '走访逾期企业',
      value: formatNumber(d.visits.overdue),
      to: '/enterprises?visitOverdue=true',
      tone: d.visits.overdue ? 'warning' : undefined,
    },
    { label: '未办结问题', value: formatNumber(d.problems.open), to: '/problems?status=open_or_in_progress' },
    {
      label: '逾期问题',
      value: formatNumber(d.problems.overdue),
      to: '/problems?overdue=true',
      tone: d.problems.overdue ? 'danger' : undefined,
    },
    { label: '待审核问题', value: formatNumber(d.problems.awaitingReview), to: '/problems?status=resolved' },
    {
      label: '办结用时中位数',
      value: median === null ? '—' : `${Math.round(median * 10) / 10} 天`,
      to: '/problems?status=closed',
      hint: `近30天办结 ${formatNumber(d.problems.closedLast30Days)} 件`,
    },
  ];
}

/** Problems by state, for the chart: each bar opens the problem list in that state. */
export function problemBars(p: Schemas['DashboardProblemsView']) {
  return [
    { key: 'open', name: '待受理', value: p.notStarted },
    { key: 'in_progress', name: '办理中', value: p.inProgress },
    { key: 'resolved', name: '待审核', value: p.awaitingReview },
  ];
}

export type CommissionerRow = Schemas['DashboardCommissionerView'];
export type CommissionerSortField = Exclude<keyof CommissionerRow, 'commissionerId'>;

/**
 * The per-commissioner rows sorted and cut to a page. The API answers the whole list (one row per
 * commissioner in scope: a bounded list of staff, not of data), so this table sorts and pages it.
 */
export function commissionerPage(
  rows: readonly CommissionerRow[],
  sort: { prop: CommissionerSortField; order: 'ascending' | 'descending' } | null,
  page: number,
  pageSize: number,
): CommissionerRow[] {
  const sorted = [...rows];
  if (sort) {
    const sign = sort.order === 'descending' ? -1 : 1;
    const { prop } = sort;
    sorted.sort((a, b) => {
      const x = a[prop];
      const y = b[prop];
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
      return sign * order || a.displayName.localeCompare(b.displayName, 'zh-CN');
    });
  }
  return sorted.slice((page - 1) * pageSize, page * pageSize);
}
