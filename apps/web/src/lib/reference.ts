import { computed, ref } from 'vue';
import { api, call, type Schemas } from '@/api/client';
import { showError } from '@/api/errors';

type Item = { code: string; name: string };

const districts = ref<Item[]>([]);
const industries = ref<Item[]>([]);
const occupationCategories = ref<Item[]>([]);
let loading: Promise<void> | null = null;

/**
 * The reference lists (districts, industries, occupation categories), loaded once per page load:
 * they change with a migration, not during a session.
 */
export function useReference() {
  if (!loading) {
    loading = Promise.all([
      call(api.GET('/api/v1/reference/districts')),
      call(api.GET('/api/v1/reference/industries')),
      call(api.GET('/api/v1/reference/occupation-categories')),
    ])
      .then(([d, i, o]) => {
        districts.value = (d as Schemas['ReferenceItemView'][]).map(({ code, name }) => ({ code, name }));
        industries.value = (i as Schemas['ReferenceItemView'][]).map(({ code, name }) => ({ code, name }));
        occupationCategories.value = (o as Schemas['ReferenceItemView'][]).map(({ code, name }) => ({ code, name }));
      })
      .catch((error: unknown) => {
        // Tried again by the next screen that needs them; a pick list stays empty meanwhile.
        loading = null;
        showError(error);
      });
  }
  const byCode = (items: typeof districts) =>
    computed(() => new Map(items.value.map((item) => [item.code, item.name])));
  return {
    ready: loading,
    districts,
    industries,
    occupationCategories,
    districtNames: byCode(districts),
    industryNames: byCode(industries),
    occupationCategoryNames: byCode(occupationCategories),
  };
}
