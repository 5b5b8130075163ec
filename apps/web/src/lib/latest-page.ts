import { ref, type Ref } from 'vue';
import { showError } from '@/api/errors';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * The rows of one server page, from the latest request only: when filters change quickly, an
 * older answer arriving after a newer one is dropped rather than shown under the new filters.
 */
export function useLatestPage<T, P extends Page<T> = Page<T>>(fetch: () => Promise<P>, onPage?: (page: P) => void) {
  const items = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const page = await fetch();
      if (ticket !== latest) return;
      items.value = page.items;
      total.value = page.total;
      onPage?.(page);
    } catch (error) {
      if (ticket === latest) showError(error);
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  return { items, total, loading, load };
}
