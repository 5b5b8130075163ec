import { ref, shallowRef, watch, type Ref } from 'vue';
import { api, call, type Schemas } from '@/api/client';
import { showError } from '@/api/errors';
import type { GroupBy } from './demand-query';

/**
 * The vacancy summary (GET /api/v1/demands/summary) for a grouping, computed by the server over
 * the person's scope; when the grouping changes quickly, only the latest answer is shown.
 */
export function useDemandSummary(groupBy: Ref<GroupBy>) {
  const summary = shallowRef<Schemas['DemandSummaryView']>();
  const loading = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const answer = await call(api.GET('/api/v1/demands/summary', { params: { query: { groupBy: groupBy.value } } }));
      if (ticket === latest) summary.value = answer;
    } catch (error) {
      if (ticket === latest) {
        summary.value = undefined;
        showError(error);
      }
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }
  watch(groupBy, () => void load(), { immediate: true });
  return { summary, loading, load };
}
