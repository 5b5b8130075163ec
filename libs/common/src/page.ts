export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 100;
/** Far beyond any list, and low enough that the offset stays a safe integer in JavaScript and SQL. */
export const MAX_PAGE = 1_000_000;
export const DEFAULT_PAGE_SIZE = 20;

export function pageOffset({ page, pageSize }: PageRequest): number {
  return (page - 1) * pageSize;
}

export interface SortOrder<F extends string> {
  field: F;
  direction: 'ASC' | 'DESC';
}

/** `name` or `-name` (descending), already checked against an allowlist at the edge. */
export function parseSort<F extends string>(sort: string | undefined, fallback: F): SortOrder<F> {
  if (!sort) return { field: fallback, direction: 'ASC' };
  return sort.startsWith('-')
    ? { field: sort.slice(1) as F, direction: 'DESC' }
    : { field: sort as F, direction: 'ASC' };
}

/** Every allowed value of a `sort` parameter: each field ascending and, with `-`, descending. */
export function sortValues(fields: readonly string[]): string[] {
  return fields.flatMap((field) => [field, `-${field}`]);
}
