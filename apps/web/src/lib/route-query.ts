import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';

type Value = string | number | boolean | null | undefined;

/**
 * A list's filters, page and sort kept in the URL query: a link can open a list filtered (the
 * workbench's figures do), and reload and back keep what the person chose.
 */
export function useRouteQuery() {
  const route = useRoute();
  const router = useRouter();

  const text = (key: string): string | undefined => {
    const value = route.query[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const flag = (key: string): boolean | undefined =>
    text(key) === 'true' ? true : text(key) === 'false' ? false : undefined;
  const int = (key: string, fallback: number): number => {
    const value = Number(text(key));
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };

  /** Changes some parameters; any change but the page's own goes back to page 1. */
  function update(patch: Record<string, Value>): Promise<unknown> {
    const query: LocationQueryRaw = { ...route.query };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === null || value === '') delete query[key];
      else query[key] = String(value);
    }
    if (!('page' in patch)) delete query.page;
    return router.push({ query });
  }

  function clear(keep: string[] = []): Promise<unknown> {
    const query: LocationQueryRaw = {};
    for (const key of keep) if (route.query[key] !== undefined) query[key] = route.query[key];
    return router.push({ query });
  }

  return { route, text, flag, int, update, clear };
}

/** Element Plus's sort event as the API's `sort` parameter (`field` / `-field`), or undefined. */
export function sortParam(prop: string | null | undefined, order: string | null | undefined): string | undefined {
  if (!prop || !order) return undefined;
  return order === 'descending' ? `-${prop}` : prop;
}

/** The API's `sort` parameter as Element Plus's default sort. */
export function tableSort(sort: string | undefined): { prop: string; order: 'ascending' | 'descending' } | undefined {
  if (!sort) return undefined;
  return sort.startsWith('-') ? { prop: sort.slice(1), order: 'descending' } : { prop: sort, order: 'ascending' };
}
