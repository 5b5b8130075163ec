import { ref, watch, type WatchSource } from 'vue';
import { describeError } from '@/api/errors';

interface Page<T> {
  items: T[];
  total: number;
}

/**
 * One page of a server-paged list: the server pages, the screen shows what it answers. Reloads
 * when `page`/`pageSize` change and when any of `reloadOn` does.
 */
export function usePaged<T>(
  fetch: (page: number, pageSize: number) => Promise<Page<T>>,
  reloadOn: WatchSource[] = [],
  initialPageSize = 10,
) {
  const items = ref<T[]>([]) as { value: T[] };
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(initialPageSize);
  const loading = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const result = await fetch(page.value, pageSize.value);
      if (ticket !== latest) return;
      items.value = result.items;
      total.value = result.total;
    } catch (error) {
      if (ticket === latest) ElMessage.error(describeError(error));
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  watch([page, pageSize], () => void load());
  watch(reloadOn, () => {
    if (page.value === 1) void load();
    else page.value = 1;
  });
  void load();
  return { items, total, page, pageSize, loading, load };
}
