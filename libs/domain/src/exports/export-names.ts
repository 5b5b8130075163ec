import { beijingDateTime } from '../spreadsheets/cells';

/**
 * The names a file shows instead of codes and ids: reference data (districts, industries,
 * occupation categories), and the people, enterprises and visits its filter names. Looked up
 * before the file is written; an unknown code or id shows as itself.
 */
export interface ExportNames {
  district(code: string): string;
  industry(code: string): string;
  occupationCategory(code: string): string;
  /** A user's display name. */
  user(id: string): string;
  /** An enterprise's name, when it is in the exporting person's scope. */
  enterprise(id: string): string;
  /** A visit as `2026-12-01 09:30 企业名称`, when it is in scope. */
  visit(id: string): string;
}

/** A moment as the screens show it (Beijing time), or an empty cell. */
export const beijingTime = (moment: Date | null | undefined): string | null =>
  moment ? beijingDateTime(new Date(moment)) : null;

export const yesNo = (value: boolean): string => (value ? '是' : '否');

/** `排序：员工总数降序` for a `sort` parameter (`-employeeCount`), from the list's labels of its sort fields. */
export function describeSort(sort: string | undefined, labels: Record<string, string>): string[] {
  if (!sort) return [];
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  return [`排序：${labels[field] ?? field}${descending ? '降序' : '升序'}`];
}

/**
 * The title row: what the table is, the filter it was made with and when. `企业台账（所属区县：
 * 浦东新区；状态：正常）导出于 2026-12-01 09:30`.
 */
export function exportTitle(list: string, filter: readonly string[], at: Date): string {
  const described = filter.length ? `（${filter.join('；')}）` : ' ';
  return `${list}${described}导出于 ${beijingDateTime(at)}`;
}
