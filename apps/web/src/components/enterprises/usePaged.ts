import { ref, watch, type WatchSource } from 'vue';
import { useLatestPage, type Page } from '@/lib/latest-page';

/**
 * One page of a server-paged list: the server pages, the screen shows what it answers. Reloads
 * when `page`/`pageSize` change and when any of `reloadOn` does.
 */
export function usePaged<T>(
  fetch: (page: number, pageSize: number) => Promise<Page<T>>,
  reloadOn: WatchSource[] = [],
  initialPageSize = 10,
) {
  const page = ref(1);
  const pageSize = ref(initialPageSize);
  const { items, total, loading, load } = useLatestPage<T>(() => fetch(page.value, pageSize.value));

  watch([page, pageSize], () => void load());
  watch(reloadOn, () => {
    if (page.value === 1) void load();
    else page.value = 1;
  });
  void load();
  return { items, total, page, pageSize, loading, load };
}
