import { ENTERPRISE_STATUS_LABELS, TIER_LABELS } from '@keydesk/database';
import type { EnterpriseExportItem, EnterpriseFilter } from '../enterprises/enterprises.service';
import type { ExportColumn, FileName } from './export-file';
import { beijingTime, describeSort, ExportNames, yesNo } from './export-names';

export const ENTERPRISES_FILE: FileName = { name: '企业台账', ascii: 'enterprises' };

/**
 * The ledger's columns. The first ten are the import template's, with its headers and in its
 * order (codes as their Chinese names, the commissioner by account), so that an exported ledger
 * can be corrected and imported again; what the ledger derives follows.
 */
export const ENTERPRISE_COLUMNS: readonly ExportColumn<EnterpriseExportItem>[] = [
  { header: '企业名称', cell: (e) => e.name },
  { header: '统一社会信用代码', cell: (e) => e.creditCode },
  { header: '行业', cell: (e) => e.industryName },
  { header: '所属区县', cell: (e) => e.districtName },
  { header: '地址', cell: (e) => e.address },
  { header: '重点企业类别', cell: (e) => TIER_LABELS[e.tier] },
  { header: '员工总数', cell: (e) => e.employeeCount },
  { header: '联系人', cell: (e) => e.contactName },
  { header: '联系电话', cell: (e) => e.contactPhone },
  { header: '服务专员账号', cell: (e) => e.commissionerUsername },
  { header: '服务专员', cell: (e) => e.commissioner?.displayName ?? null },
  { header: '状态', cell: (e) => ENTERPRISE_STATUS_LABELS[e.status] },
  { header: '走访周期（天）', cell: (e) => e.visitCadenceDays },
  { header: '缺工人数', cell: (e) => e.shortage },
  { header: '上次走访', cell: (e) => beijingTime(e.lastVisitAt) },
  { header: '下次走访', cell: (e) => beijingTime(e.nextVisitDueAt) },
  { header: '更新时间', cell: (e) => beijingTime(e.updatedAt) },
];

const SORT_LABELS: Record<string, string> = {
  name: '企业名称',
  employeeCount: '员工总数',
  updatedAt: '更新时间',
  nextVisitDueAt: '下次走访',
  shortage: '缺工人数',
};

/** The ledger's filter in words, for the title row. The status is always said: by default the list holds active enterprises only. */
export function describeEnterpriseFilter(filter: EnterpriseFilter, names: ExportNames): string[] {
  const status = filter.status ?? 'active';
  return [
    filter.q && `关键字：${filter.q}`,
    filter.districtCode && `所属区县：${names.district(filter.districtCode)}`,
    filter.industryCode && `行业：${names.industry(filter.industryCode)}`,
    filter.tier && `重点企业类别：${TIER_LABELS[filter.tier]}`,
    filter.commissionerId && `服务专员：${names.user(filter.commissionerId)}`,
    `状态：${status === 'all' ? '全部' : ENTERPRISE_STATUS_LABELS[status]}`,
    filter.hasShortage !== undefined && `缺工：${filter.hasShortage ? '有' : '无'}`,
    filter.visitOverdue !== undefined && `走访逾期：${yesNo(filter.visitOverdue)}`,
    filter.hasCommissioner !== undefined && `已分配服务专员：${yesNo(filter.hasCommissioner)}`,
    filter.visitDueWithinDays !== undefined && `走访到期：${filter.visitDueWithinDays}天内`,
    filter.demandsStale !== undefined && `需求清单待更新：${yesNo(filter.demandsStale)}`,
    ...describeSort(filter.sort, SORT_LABELS),
  ].filter((part): part is string => typeof part === 'string' && part !== '');
}
