import { DEMAND_STATUS_LABELS, URGENCY_LABELS } from '@keydesk/database';
import type { DemandView } from '../demands/demand.view';
import type { DemandFilter } from '../repositories/demands.repository';
import type { ExportColumn, FileName } from './export-file';
import { beijingTime, describeSort, ExportNames } from './export-names';

export const DEMANDS_FILE: FileName = { name: '用工需求清单', ascii: 'demands' };

/** The demand list's columns. */
export function demandColumns(names: ExportNames): ExportColumn<DemandView>[] {
  return [
    { header: '企业名称', cell: (d) => d.enterprise.name },
    { header: '所属区县', cell: (d) => names.district(d.enterprise.districtCode) },
    { header: '岗位', cell: (d) => d.occupation },
    { header: '职业类别', cell: (d) => d.occupationCategoryName },
    { header: '需求人数', cell: (d) => d.headcount },
    { header: '已招人数', cell: (d) => d.filledCount },
    { header: '缺口人数', cell: (d) => d.shortage },
    { header: '月薪下限（元）', cell: (d) => d.salaryMin },
    { header: '月薪上限（元）', cell: (d) => d.salaryMax },
    { header: '到岗时间', cell: (d) => d.neededBy },
    { header: '紧急程度', cell: (d) => URGENCY_LABELS[d.urgency] },
    { header: '状态', cell: (d) => DEMAND_STATUS_LABELS[d.status] },
    { header: '岗位要求', cell: (d) => d.requirements },
    { header: '登记时间', cell: (d) => beijingTime(d.createdAt) },
    { header: '更新时间', cell: (d) => beijingTime(d.updatedAt) },
  ];
}

const SORT_LABELS: Record<string, string> = {
  updatedAt: '更新时间',
  createdAt: '登记时间',
  neededBy: '到岗时间',
  headcount: '需求人数',
  shortage: '缺口人数',
};

/** The demand list's filter in words. The status is always said: by default the list holds open demands only. */
export function describeDemandFilter(filter: DemandFilter, names: ExportNames): string[] {
  const status = filter.status ?? 'open';
  return [
    filter.enterpriseId && `企业：${names.enterprise(filter.enterpriseId)}`,
    filter.sourceVisitId && `来源走访：${names.visit(filter.sourceVisitId)}`,
    filter.districtCode && `所属区县：${names.district(filter.districtCode)}`,
    filter.industryCode && `行业：${names.industry(filter.industryCode)}`,
    filter.occupationCategory && `职业类别：${names.occupationCategory(filter.occupationCategory)}`,
    filter.occupation && `岗位：${filter.occupation}`,
    `状态：${status === 'all' ? '全部' : DEMAND_STATUS_LABELS[status]}`,
    filter.urgency && `紧急程度：${URGENCY_LABELS[filter.urgency]}`,
    ...describeSort(filter.sort, SORT_LABELS),
  ].filter((part): part is string => typeof part === 'string' && part !== '');
}
