import type { DashboardCommissionerView, DashboardView } from '../dashboard/dashboard.view';
import type { DemandSummaryView } from '../demands/demand.view';
import type { DemandGrouping } from '../repositories/demands.repository';
import type { FileName, WorkbookSheet } from './export-file';
import { exportTitle } from './export-names';

export const DEMAND_SUMMARY_FILE: FileName = { name: '用工需求汇总', ascii: 'demand-summary' };
export const DASHBOARD_FILE: FileName = { name: '统计看板', ascii: 'dashboard' };

const GROUPINGS: Record<DemandGrouping, { by: string; code: string; name: string }> = {
  district: { by: '按区县', code: '区县代码', name: '区县' },
  industry: { by: '按行业', code: '行业代码', name: '行业' },
  occupationCategory: { by: '按职业类别', code: '职业类别代码', name: '职业类别' },
};

/**
 * One grouping of the demand summary as a sheet (`按区县`): a row per group as GET
 * /demands/summary answers it, then its totals (which count an enterprise once, even when it is
 * short in several groups). In the dashboard's workbook the sheet is named `缺工按区县`.
 */
export function demandSummarySheet(
  grouping: DemandGrouping,
  summary: DemandSummaryView,
  at: Date,
  list: 'demandSummary' | 'dashboard',
): WorkbookSheet {
  const { by, code, name } = GROUPINGS[grouping];
  const sheet = list === 'dashboard' ? `缺工${by}` : by;
  const file = list === 'dashboard' ? DASHBOARD_FILE : DEMAND_SUMMARY_FILE;
  return {
    name: sheet,
    title: exportTitle(`${file.name}：${sheet}`, [], at),
    headers: [code, name, '有需求企业', '招聘中需求', '缺工人数'],
    rows: summary.items.map((item) => [item.key, item.name, item.enterprises, item.openDemands, item.shortage]),
    totals: ['合计', null, summary.totals.enterprises, summary.totals.openDemands, summary.totals.shortage],
  };
}

/** The dashboard's headline figures, one per row, in the words of the screen. */
export function dashboardFiguresSheet(view: DashboardView, at: Date): WorkbookSheet {
  const figures: [string, number | null, string?][] = [
    ['重点企业', view.enterprises],
    ['缺工企业', view.enterprisesWithShortage],
    ['缺工总人数', view.totalShortage],
    ['近30天走访', view.visits.last30Days],
    ['近30天走访覆盖率', view.visits.coverage30Days, '0.0%'],
    ['走访逾期企业', view.visits.overdue],
    ['未办结问题', view.problems.open],
    ['其中待受理', view.problems.notStarted],
    ['其中办理中', view.problems.inProgress],
    ['待审核问题', view.problems.awaitingReview],
    ['逾期问题', view.problems.overdue],
    ['近30天办结问题', view.problems.closedLast30Days],
    ['办结用时中位数（天）', view.problems.medianDaysToClose],
  ];
  return {
    name: '概览',
    title: exportTitle(`${DASHBOARD_FILE.name}：概览`, [], at),
    headers: ['指标', '数值'],
    rows: figures.map(([label, value]) => [label, value]),
    formats: figures.map(([, , format]) => [undefined, format]),
  };
}

/** The dashboard's table of commissioners' workload, every row (for a commissioner, their own). */
export function dashboardWorkloadSheet(rows: DashboardCommissionerView[], at: Date, own: boolean): WorkbookSheet {
  const sheet = own ? '我的工作量' : '服务专员工作量';
  return {
    name: sheet,
    title: exportTitle(`${DASHBOARD_FILE.name}：${sheet}`, [], at),
    headers: ['服务专员', '负责企业', '近30天走访', '走访逾期企业', '未办结问题', '逾期问题'],
    rows: rows.map((c) => [
      c.displayName,
      c.enterprises,
      c.visitsLast30Days,
      c.overdueVisits,
      c.openProblems,
      c.overdueProblems,
    ]),
  };
}
