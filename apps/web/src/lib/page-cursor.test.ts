import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/errors';
import { afterFor, queryKey, withPageCursor, type CursorAnswer } from './page-cursor';

interface Query {
  page?: number;
  pageSize?: number;
  sort?: string;
  q?: string;
  after?: string;
}

/** A list of 5 pages whose answers say which page they are and the cursor after it (none after the last). */
function list() {
  const get = vi.fn((query: Query): Promise<CursorAnswer & { after?: string }> => {
    const page = query.page ?? 1;
    return Promise.resolve({ page, nextCursor: page < 5 ? `cursor-${query.sort ?? ''}-${page}` : null });
  });
  return { get, fetch: withPageCursor(get), sent: () => get.mock.calls.map(([query]) => query.after) };
}

describe('paging by cursor on a list screen', () => {
  it('sends the shown page’s cursor when the person moves to the next page, page = n + 1 with it', async () => {
    const { fetch, get, sent } = list();
    await fetch({ page: 1, pageSize: 20, sort: 'name' });
    await fetch({ page: 2, pageSize: 20, sort: 'name' });
    await fetch({ page: 3, pageSize: 20, sort: 'name' });
    expect(sent()).toEqual([undefined, 'cursor-name-1', 'cursor-name-2']);
    expect(get.mock.calls[2][0]).toEqual({ page: 3, pageSize: 20, sort: 'name', after: 'cursor-name-2' });
  });

  it('goes by page number for any other move: a page jumped to, the previous page, the same page again', async () => {
    const { fetch, sent } = list();
    await fetch({ page: 1 });
    await fetch({ page: 4 });
    await fetch({ page: 3 });
    await fetch({ page: 3 });
    await fetch({ page: 4 });
    expect(sent()).toEqual([undefined, undefined, undefined, undefined, 'cursor--3']);
  });

  it('goes by page number when the filters, the sort or the page size changed', async () => {
    const { fetch, sent } = list();
    await fetch({ page: 1, sort: 'name' });
    await fetch({ page: 2, sort: '-name' });
    await fetch({ page: 3, sort: '-name', q: '汽车' });
    await fetch({ page: 4, sort: '-name', q: '汽车', pageSize: 50 });
    expect(sent()).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('has nothing to send after the last page', async () => {
    const { fetch, sent } = list();
    await fetch({ page: 5 });
    await fetch({ page: 6 });
    expect(sent()).toEqual([undefined, undefined]);
  });

  it('asks again by page number when the server refuses the cursor', async () => {
    const refused = new ApiError(400, {
      type: 'urn:keydesk:error:invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: 'after: the row this cursor names is gone; start from page 1',
      instance: '/api/v1/enterprises',
      errors: [{ field: 'after', message: 'the row this cursor names is gone; start from page 1' }],
    });
    const get = vi.fn((query: Query) =>
      query.after ? Promise.reject(refused) : Promise.resolve({ page: query.page ?? 1, nextCursor: 'c' }),
    );
    const fetch = withPageCursor(get);
    await fetch({ page: 1 });
    await expect(fetch({ page: 2 })).resolves.toEqual({ page: 2, nextCursor: 'c' });
    expect(get.mock.calls.map(([query]) => query)).toEqual([{ page: 1 }, { page: 2, after: 'c' }, { page: 2 }]);
    // Any other failure is the screen's to show.
    get.mockImplementationOnce(() => Promise.reject(new ApiError(503, null)));
    await expect(fetch({ page: 3 })).rejects.toMatchObject({ status: 503 });
  });

  it('compares queries without their page, cursor and absent values, whatever the order of their keys', () => {
    expect(queryKey({ page: 2, sort: 'name', q: undefined, after: 'x' })).toBe(queryKey({ sort: 'name', page: 9 }));
    expect(queryKey({ sort: 'name', pageSize: 20 })).toBe(queryKey({ pageSize: 20, sort: 'name' }));
    expect(queryKey({ sort: 'name' })).not.toBe(queryKey({ sort: '-name' }));
    const shown = { key: queryKey({ sort: 'name' }), page: 1, nextCursor: 'c' };
    expect(afterFor(shown, { sort: 'name', page: 2 })).toBe('c');
    expect(afterFor(shown, { sort: 'name' })).toBeUndefined();
    expect(afterFor(undefined, { page: 2 })).toBeUndefined();
  });
});
