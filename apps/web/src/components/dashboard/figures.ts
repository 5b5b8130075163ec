import type { RouteLocationRaw } from 'vue-router';
import type { ListQuery, Schemas } from '@/api/client';
import { formatNumber } from '@/lib/format';
import { sortFromTable } from '@/lib/route-query';

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
export type CommissionerSort = NonNullable<ListQuery<'/api/v1/dashboard/commissioners'>['sort']>;
type SortField<S> = S extends `-${string}` ? never : S;
export type CommissionerSortField = SortField<CommissionerSort>;

/** Every column the server sorts the per-commissioner table by. */
export const COMMISSIONER_SORTABLE: readonly CommissionerSortField[] = [
  'displayName',
  'enterprises',
  'visitsLast30Days',
  'overdueVisits',
  'openProblems',
  'overdueProblems',
];

/** What the per-commissioner table asks the server for: it pages and sorts (by displayName unless told). */
export interface CommissionerQuery {
  page: number;
  pageSize: number;
  sort?: CommissionerSort;
}

/**
 * The query after a click on a column header (el-table's `sort-change`): that sort from the first
 * page; a cleared sort is the server's default order.
 */
export function sortCommissioners(
  query: CommissionerQuery,
  prop: string | null | undefined,
  order: string | null | undefined,
): CommissionerQuery {
  return { ...query, page: 1, sort: sortFromTable(prop, order, COMMISSIONER_SORTABLE) };
}

/** The query after a new page size: from the first page again. */
export function resizeCommissioners(query: CommissionerQuery, pageSize: number): CommissionerQuery {
  return { ...query, page: 1, pageSize };
}
