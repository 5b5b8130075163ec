import { ApiError } from '@/api/errors';

/** A list query as the API takes it: a page number, and any filters, sort and page size. */
export interface PagedQuery {
  page?: number;
  [key: string]: unknown;
}

/** What a list answers besides its rows: the page it is, and the cursor that reaches the next one. */
export interface CursorAnswer {
  page: number;
  nextCursor?: string | null;
}

/** The page last shown, of which query (without its page), and the cursor that follows it. */
export interface ShownPage {
  key: string;
  page: number;
  nextCursor: string;
}

/** A query without its page (and cursor), in a stable spelling: two queries of the same list compare equal. */
export function queryKey(query: PagedQuery): string {
  const entries = Object.entries(query)
    .filter(([key, value]) => key !== 'page' && key !== 'after' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}

/**
 * The `after` to send with a query: the cursor of the page shown when the query asks for the page
 * right after it, with the same filters, sort and page size. Any other move (a page number, the
 * previous page, a filter or sort changed, the same page again) goes by page number.
 */
export function afterFor(shown: ShownPage | undefined, query: PagedQuery): string | undefined {
  if (!shown || shown.key !== queryKey(query)) return undefined;
  return (query.page ?? 1) === shown.page + 1 ? shown.nextCursor : undefined;
}

/** Whether the API refused the cursor itself (made stale by a change in the list, say): the page by number will do. */
export function cursorRefused(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 400 &&
    (error.problem?.errors ?? []).some((fault) => fault.field === 'after')
  );
}

/**
 * A list's fetch that pages by cursor where it helps: going to the next page sends the shown
 * page's `nextCursor` as `after` with `page` = n + 1, so a deep page costs the server what page 1
 * does. The cursor never enters the URL: a reload or a link asks for its page by number.
 */
export function withPageCursor<Q extends PagedQuery, A extends CursorAnswer>(
  get: (query: Q & { after?: string }) => Promise<A>,
): (query: Q) => Promise<A> {
  let shown: ShownPage | undefined;
  return async (query) => {
    const after = afterFor(shown, query);
    let answer: A;
    try {
      answer = await get(after ? { ...query, after } : query);
    } catch (error) {
      if (!after || !cursorRefused(error)) throw error;
      answer = await get(query);
    }
    shown = answer.nextCursor ? { key: queryKey(query), page: answer.page, nextCursor: answer.nextCursor } : undefined;
    return answer;
  };
}
