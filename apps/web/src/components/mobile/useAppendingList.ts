import { computed, ref, shallowRef } from 'vue';
import { showError } from '@/api/errors';
import type { Page } from '@/lib/latest-page';
import { cursorRefused } from '@/lib/page-cursor';

/**
 * A server-paged list that grows by "加载更多": each page is appended to what is shown, asked for
 * with the cursor of the page before (`after`), so the server finds it as fast as page 1. A reset
 * (new search, after an action) starts again from page 1, and an answer to a request made before
 * the latest reset is dropped, so an old search's rows never land under a new one.
 */
export function useAppendingList<T extends { id: string }>(
  fetch: (page: number, after?: string) => Promise<Page<T> & { nextCursor?: string | null }>,
  onError: (error: unknown) => void = showError,
) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(false);
  /** The last request failed: the person may try again. */
  const failed = ref(false);
  /** Pages taken so far in this round (0 before its first answer), and the last one's cursor. */
  let taken = 0;
  let cursor: string | undefined;
  let round = 0;

  const hasMore = computed(() => items.value.length < total.value);

  async function fetchPage(): Promise<void> {
    const mine = round;
    const first = taken === 0;
    loading.value = true;
    failed.value = false;
    try {
      const after = first ? undefined : cursor;
      // A cursor the server no longer takes (its row left the list meanwhile): the page by number will do.
      const page = await fetch(taken + 1, after).catch((error: unknown) => {
        if (!after || !cursorRefused(error)) throw error;
        return fetch(taken + 1);
      });
      if (mine !== round) return;
      taken += 1;
      cursor = page.nextCursor ?? undefined;
      if (first) {
        // A new round replaces the old rows only now, so the list does not flash empty meanwhile.
        items.value = page.items;
      } else {
        // Rows may shift between pages when records change meanwhile: one already shown is not repeated.
        const seen = new Set(items.value.map((item) => item.id));
        items.value = [...items.value, ...page.items.filter((item) => !seen.has(item.id))];
      }
      total.value = page.total;
    } catch (error) {
      if (mine !== round) return;
      failed.value = true;
      if (first) {
        items.value = [];
        total.value = 0;
      }
      onError(error);
    } finally {
      if (mine === round) loading.value = false;
    }
  }

  /** Page 1 again: a new search, or the list after an action changed it. */
  function reset(): Promise<void> {
    round += 1;
    taken = 0;
    cursor = undefined;
    return fetchPage();
  }

  /** The next page, unless one is on its way or all are shown. */
  function more(): Promise<void> {
    if (loading.value || !hasMore.value) return Promise.resolve();
    return fetchPage();
  }

  return { items, total, loading, failed, hasMore, reset, more };
}
