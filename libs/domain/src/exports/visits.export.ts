import { VISIT_METHOD_LABELS } from '@keydesk/database';
import type { VisitFilter, VisitRow } from '../repositories/visits.repository';
import type { ExportColumn, FileName } from './export-file';
import { beijingTime, ExportNames } from './export-names';

export const VISITS_FILE: FileName = { name: '走访记录', ascii: 'visits' };

/** The visit list's columns. */
export function visitColumns(names: ExportNames): ExportColumn<VisitRow>[] {
  return [
    { header: '走访时间', cell: (v) => beijingTime(v.visitedAt) },
    { header: '企业名称', cell: (v) => v.enterpriseName },
    { header: '所属区县', cell: (v) => names.district(v.districtCode) },
    { header: '服务专员', cell: (v) => v.commissionerName },
    { header: '走访方式', cell: (v) => VISIT_METHOD_LABELS[v.method] },
    { header: '走访情况', cell: (v) => v.summary },
    { header: '员工总数', cell: (v) => v.employeeCount },
    { header: '留岗外地员工', cell: (v) => v.nonLocalStaying },
    { header: '无法返岗', cell: (v) => v.unableToReturn },
    { header: '已返岗', cell: (v) => v.returned },
    { header: '约定下次跟进', cell: (v) => beijingTime(v.nextFollowUpAt) },
    { header: '登记时间', cell: (v) => beijingTime(v.createdAt) },
  ];
}

/** The visit list's filter in words. */
export function describeVisitFilter(filter: VisitFilter, names: ExportNames): string[] {
  return [
    filter.commissionerId && `服务专员：${names.user(filter.commissionerId)}`,
    filter.enterpriseId && `企业：${names.enterprise(filter.enterpriseId)}`,
    filter.from && `走访时间起：${beijingTime(filter.from)}`,
    filter.to && `走访时间止：${beijingTime(filter.to)}`,
    filter.method && `走访方式：${VISIT_METHOD_LABELS[filter.method]}`,
  ].filter((part): part is string => typeof part === 'string' && part !== '');
}
