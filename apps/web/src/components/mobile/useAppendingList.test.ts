import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/errors';
import { useAppendingList } from './useAppendingList';

type Row = { id: string };
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }));

/** A fetch whose answers the test releases one by one, in any order. */
function controlled() {
  const pending: {
    page: number;
    resolve: (p: { items: Row[]; total: number }) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const fetch = vi.fn(
    (page: number) =>
      new Promise<{ items: Row[]; total: number }>((resolve, reject) => pending.push({ page, resolve, reject })),
  );
  return { fetch, pending };
}

describe('a list that grows by 加载更多', () => {
  it('appends the next page and knows when all are shown', async () => {
    const { fetch, pending } = controlled();
    const list = useAppendingList<Row>(fetch, () => undefined);
    const first = list.reset();
    pending[0].resolve({ items: rows('a', 'b'), total: 3 });
    await first;
    expect(list.items.value.map((r) => r.id)).toEqual(['a', 'b']);
    expect(list.hasMore.value).toBe(true);
    const second = list.more();
    expect(pending[1].page).toBe(2);
    pending[1].resolve({ items: rows('c'), total: 3 });
    await second;
    expect(list.items.value.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(list.hasMore.value).toBe(false);
    await list.more();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('asks for each next page with the cursor of the page before; a new round starts without one', async () => {
    const answers: Record<number, { items: Row[]; total: number; nextCursor: string | null }> = {
      1: { items: rows('a', 'b'), total: 5, nextCursor: 'after-b' },
      2: { items: rows('c', 'd'), total: 5, nextCursor: 'after-d' },
      3: { items: rows('e'), total: 5, nextCursor: null },
    };
    const fetch = vi.fn((page: number, _after?: string) => Promise.resolve(answers[page]));
    const list = useAppendingList<Row>(fetch, () => undefined);
    await list.reset();
    await list.more();
    await list.more();
    expect(fetch.mock.calls).toEqual([
      [1, undefined],
      [2, 'after-b'],
      [3, 'after-d'],
    ]);
    expect(list.items.value.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    await list.reset();
    expect(fetch.mock.calls[3]).toEqual([1, undefined]);
  });

  it('drops an older search’s answer that arrives after a newer one', async () => {
    const { fetch, pending } = controlled();
    const list = useAppendingList<Row>(fetch, () => undefined);
    const old = list.reset();
    const latest = list.reset();
    pending[1].resolve({ items: rows('new'), total: 1 });
    await latest;
    pending[0].resolve({ items: rows('old1', 'old2'), total: 2 });
    await old;
    expect(list.items.value.map((r) => r.id)).toEqual(['new']);
    expect(list.total.value).toBe(1);
    expect(list.loading.value).toBe(false);
  });

  it('does not ask for the same page twice while one is on its way, nor repeat a row that shifted', async () => {
    const { fetch, pending } = controlled();
    const list = useAppendingList<Row>(fetch, () => undefined);
    const first = list.reset();
    pending[0].resolve({ items: rows('a', 'b'), total: 4 });
    await first;
    void list.more();
    void list.more();
    expect(fetch).toHaveBeenCalledTimes(2);
    pending[1].resolve({ items: rows('b', 'c'), total: 4 });
    await Promise.resolve();
    await Promise.resolve();
    expect(list.items.value.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('reports a failure of the latest request only, and keeps the rows already shown', async () => {
    const { fetch, pending } = controlled();
    const onError = vi.fn();
    const list = useAppendingList<Row>(fetch, onError);
    const first = list.reset();
    pending[0].resolve({ items: rows('a'), total: 2 });
    await first;
    const next = list.more();
    pending[1].reject(new Error('offline'));
    await next;
    expect(onError).toHaveBeenCalledTimes(1);
    expect(list.failed.value).toBe(true);
    expect(list.items.value.map((r) => r.id)).toEqual(['a']);
  });

  it('asks again by page number when the server no longer takes the cursor', async () => {
    const refused = new ApiError(400, {
      type: 'urn:keydesk:error:invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: 'after: the row this cursor names is gone; start from page 1',
      instance: '/api/v1/enterprises',
      errors: [{ field: 'after', message: 'the row this cursor names is gone; start from page 1' }],
    });
    const fetch = vi.fn(async (page: number, after?: string) => {
      if (page === 1) return { items: rows('a', 'b'), total: 3, nextCursor: 'c1' };
      if (after) throw refused;
      return { items: rows('c'), total: 3, nextCursor: null };
    });
    const onError = vi.fn();
    const list = useAppendingList<Row>(fetch, onError);
    await list.reset();
    await list.more();
    expect(fetch.mock.calls.map(([page, after]) => [page, after])).toEqual([
      [1, undefined],
      [2, 'c1'],
      [2, undefined],
    ]);
    expect(list.items.value.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(onError).not.toHaveBeenCalled();
  });
});
