import { PRIORITY_LABELS, PROBLEM_CATEGORY_LABELS, PROBLEM_STATUS_LABELS } from '@keydesk/database';
import type { ProblemView } from '../problems/problem.view';
import type { ProblemFilter } from '../repositories/problems.repository';
import type { ExportColumn, FileName } from './export-file';
import { beijingTime, describeSort, ExportNames, yesNo } from './export-names';

export const PROBLEMS_FILE: FileName = { name: '问题解决清单', ascii: 'problems' };

/** The problem list's columns. */
export function problemColumns(names: ExportNames): ExportColumn<ProblemView>[] {
  return [
    { header: '问题', cell: (p) => p.title },
    { header: '企业名称', cell: (p) => p.enterprise.name },
    { header: '所属区县', cell: (p) => names.district(p.enterprise.districtCode) },
    { header: '问题类别', cell: (p) => PROBLEM_CATEGORY_LABELS[p.category] },
    { header: '优先级', cell: (p) => PRIORITY_LABELS[p.priority] },
    { header: '状态', cell: (p) => PROBLEM_STATUS_LABELS[p.status] },
    { header: '是否逾期', cell: (p) => yesNo(p.overdue) },
    { header: '承办人', cell: (p) => p.assignee?.displayName ?? null },
    { header: '反映时间', cell: (p) => beijingTime(p.reportedAt) },
    { header: '办理期限', cell: (p) => beijingTime(p.dueAt) },
    { header: '问题描述', cell: (p) => p.description },
    { header: '办理结果', cell: (p) => p.resolution },
    { header: '办结时间', cell: (p) => beijingTime(p.closedAt) },
    { header: '更新时间', cell: (p) => beijingTime(p.updatedAt) },
  ];
}

const SORT_LABELS: Record<string, string> = {
  dueAt: '办理期限',
  reportedAt: '反映时间',
  priority: '优先级',
  updatedAt: '更新时间',
};

/** The problem list's filter in words. */
export function describeProblemFilter(filter: ProblemFilter, names: ExportNames): string[] {
  const status = filter.status;
  return [
    status &&
      status !== 'all' &&
      `状态：${status === 'open_or_in_progress' ? '未办结' : PROBLEM_STATUS_LABELS[status]}`,
    filter.priority && `优先级：${PRIORITY_LABELS[filter.priority]}`,
    filter.category && `问题类别：${PROBLEM_CATEGORY_LABELS[filter.category]}`,
    filter.assigneeId && `承办人：${names.user(filter.assigneeId)}`,
    filter.enterpriseId && `企业：${names.enterprise(filter.enterpriseId)}`,
    filter.sourceVisitId && `来源走访：${names.visit(filter.sourceVisitId)}`,
    filter.districtCode && `所属区县：${names.district(filter.districtCode)}`,
    filter.overdue !== undefined && `逾期：${yesNo(filter.overdue)}`,
    filter.escalated !== undefined && `已升级至管理员：${yesNo(filter.escalated)}`,
    ...describeSort(filter.sort, SORT_LABELS),
  ].filter((part): part is string => typeof part === 'string' && part !== '');
}
