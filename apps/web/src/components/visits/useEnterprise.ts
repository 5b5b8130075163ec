import { ref, watch, type Ref } from 'vue';
import { api, call, type Schemas } from '@/api/client';
import { ApiError, describeError } from '@/api/errors';

/** The enterprise a visit is logged for: absent and out of scope both read as not found, as the API intends. */
export function useEnterprise(id: Ref<string>) {
  const enterprise = ref<Schemas['EnterpriseView'] | null>(null);
  const notFound = ref(false);
  const failed = ref('');
  const loading = ref(true);

  async function load(): Promise<void> {
    loading.value = true;
    failed.value = '';
    notFound.value = false;
    try {
      enterprise.value = await call(api.GET('/api/v1/enterprises/{id}', { params: { path: { id: id.value } } }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) notFound.value = true;
      else failed.value = describeError(error);
    } finally {
      loading.value = false;
    }
  }
  watch(id, load, { immediate: true });

  return { enterprise, notFound, failed, loading, load };
}
