import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

// A list's filters, page and sort live in the URL query: a link opens a list filtered (the
// workbench's figures do), and reload and back keep what the person chose. A value the API would
// refuse (a hand-edited or stale link) is read as absent, never sent.

type QueryValue = LocationQuery[string];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function text(value: QueryValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

export function bool(value: QueryValue): boolean | undefined {
  const t = text(value);
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

export function integer(value: QueryValue, min: number, max: number): number | undefined {
  const t = text(value);
  if (t === undefined || !/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= min && n <= max ? n : undefined;
}

export function oneOf<T extends string>(value: QueryValue, allowed: readonly T[]): T | undefined {
  const t = text(value);
  return allowed.includes(t as T) ? (t as T) : undefined;
}

export function uuid(value: QueryValue): string | undefined {
  const t = text(value);
  return t && UUID.test(t) ? t : undefined;
}

/** A sort the API allows (`field` / `-field`), or undefined. */
export function sortOf<F extends string>(value: QueryValue, fields: readonly F[]): F | `-${F}` | undefined {
  const t = text(value);
  return t && fields.includes(t.replace(/^-/, '') as F) ? (t as F | `-${F}`) : undefined;
}

/** The table's sort indicator for a sort. */
export function tableSort(sort: string | undefined): { prop: string; order: 'ascending' | 'descending' } | undefined {
  if (!sort) return undefined;
  return sort.startsWith('-') ? { prop: sort.slice(1), order: 'descending' } : { prop: sort, order: 'ascending' };
}

/** The sort for a click on a column header, if the API sorts by that column. */
export function sortFromTable<F extends string>(
  prop: string | null | undefined,
  order: string | null | undefined,
  fields: readonly F[],
): F | `-${F}` | undefined {
  if (!prop || !order || !fields.includes(prop as F)) return undefined;
  return (order === 'descending' ? `-${prop}` : prop) as F | `-${F}`;
}

export const PAGE_SIZES = [10, 20, 50, 100];

/** The current route's query, read through the checks above, and a way to change it. */
export function useRouteQuery() {
  const route = useRoute();
  const router = useRouter();

  const page = () => integer(route.query.page, 1, 1_000_000) ?? 1;
  const pageSize = (fallback = 20) => integer(route.query.pageSize, 1, 100) ?? fallback;

  /** Changes some parameters; any change but the page's own goes back to page 1. */
  function update(patch: Record<string, string | number | boolean | null | undefined>): Promise<unknown> {
    const query: LocationQueryRaw = { ...route.query };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === null || value === '') delete query[key];
      else query[key] = String(value);
    }
    if (!('page' in patch)) delete query.page;
    return router.push({ query });
  }

  /** Clears every parameter but those named. */
  function clear(keep: string[] = []): Promise<unknown> {
    const query: LocationQueryRaw = {};
    for (const key of keep) if (route.query[key] !== undefined) query[key] = route.query[key];
    return router.push({ query });
  }

  return { route, query: () => route.query, page, pageSize, update, clear };
}
