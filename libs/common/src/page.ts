export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  /**
   * The cursor of the page's last row, to ask for the next page with `after`; null on the last
   * page. Absent only from a list that pages by page number alone.
   */
  nextCursor?: string | null;
}

/** A page of a list that pages by cursor as well as by number: it always says whether a next page follows. */
export type CursorPage<T> = Page<T> & { nextCursor: string | null };

export interface PageRequest {
  page: number;
  pageSize: number;
  /**
   * A `nextCursor` from an earlier page: the page starts right after the row it names, and `page`
   * is only echoed back.
   */
  after?: string;
}

export const MAX_PAGE_SIZE = 100;
/** Far beyond any list, and low enough that the offset stays a safe integer in JavaScript and SQL. */
export const MAX_PAGE = 1_000_000;
export const DEFAULT_PAGE_SIZE = 20;

export function pageOffset({ page, pageSize }: PageRequest): number {
  return (page - 1) * pageSize;
}

/** A list's answer: its rows, how many match in all, the page asked for and the cursor of the next one. */
export function pageOf<T>(
  items: T[],
  total: number,
  { page, pageSize }: PageRequest,
  nextCursor: string | null,
): CursorPage<T> {
  return { items, total, page, pageSize, nextCursor };
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
