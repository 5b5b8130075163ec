import { ref, watch, type WatchSource } from 'vue';
import { useLatestPage, type Page } from '@/lib/latest-page';
import { withPageCursor, type CursorAnswer } from '@/lib/page-cursor';

/**
 * One page of a server-paged list: the server pages, the screen shows what it answers. Reloads
 * when `page`/`pageSize` change and when any of `reloadOn` does. Going to the next page passes
 * the shown page's cursor as `after` (see `withPageCursor`); any other move passes none.
 */
export function usePaged<P extends Page<unknown> & CursorAnswer>(
  fetch: (page: number, pageSize: number, after?: string) => Promise<P>,
  reloadOn: WatchSource[] = [],
  initialPageSize = 10,
) {
  const page = ref(1);
  const pageSize = ref(initialPageSize);
  // What `reloadOn` holds is not in the query: a round number stands for it, so that a cursor of
  // the rows before a change is never sent after it.
  let round = 0;
  const fetchPage = withPageCursor((query: { page: number; pageSize: number; round: number; after?: string }) =>
    fetch(query.page, query.pageSize, query.after),
  );
  const { items, total, loading, load } = useLatestPage<P['items'][number], P>(() =>
    fetchPage({ page: page.value, pageSize: pageSize.value, round }),
  );

  watch([page, pageSize], () => void load());
  watch(reloadOn, () => {
    round += 1;
    if (page.value === 1) void load();
    else page.value = 1;
  });
  void load();
  return { items, total, page, pageSize, loading, load };
}
