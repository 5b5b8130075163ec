import { ref, shallowRef } from 'vue';
import { api, call } from '@/api/client';
import { describeError } from '@/api/errors';
import { resizeCommissioners, sortCommissioners, type CommissionerQuery, type CommissionerRow } from './figures';

/**
 * The per-commissioner table, one server page at a time (GET /dashboard/commissioners): loaded
 * on its own, so the headline figures never wait for it. Only the latest request's answer is
 * shown; a failure is kept to be shown in place, with a retry.
 */
export function useCommissionerTable(initialPageSize = 10) {
  const query = shallowRef<CommissionerQuery>({ page: 1, pageSize: initialPageSize });
  const rows = shallowRef<CommissionerRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const failed = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const page = await call(api.GET('/api/v1/dashboard/commissioners', { params: { query: query.value } }));
      if (ticket !== latest) return;
      rows.value = page.items;
      total.value = page.total;
      failed.value = '';
    } catch (error) {
      if (ticket === latest) failed.value = describeError(error);
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  function ask(next: CommissionerQuery): void {
    query.value = next;
    void load();
  }

  return {
    query,
    rows,
    total,
    loading,
    failed,
    load,
    setPage: (page: number) => ask({ ...query.value, page }),
    setPageSize: (pageSize: number) => ask(resizeCommissioners(query.value, pageSize)),
    sort: (prop: string | null | undefined, order: string | null | undefined) =>
      ask(sortCommissioners(query.value, prop, order)),
  };
}
