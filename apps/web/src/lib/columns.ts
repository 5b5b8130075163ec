import { ref, watch, type Ref } from 'vue';

/** A column a person may show or hide in a table. */
export interface ColumnDef {
  key: string;
  label: string;
  /** Shown until the person decides otherwise. */
  default: boolean;
  /** Always shown (the record's name, which links to it): the chooser cannot hide it. */
  locked?: boolean;
}

/** What is kept per person: the columns they chose to show and to hide. */
interface StoredChoice {
  shown: string[];
  hidden: string[];
}

/** The part of localStorage this needs (so that tests can hand in a plain object). */
export type ColumnStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The storage key of one person's columns of one table. */
export function columnsKey(table: string, userId: string): string {
  return `keydesk.columns.${table}.${userId}`;
}

/** The columns shown by default, in the table's order. */
export function defaultColumns(defs: readonly ColumnDef[]): string[] {
  return defs.filter((def) => def.default || def.locked).map((def) => def.key);
}

/** Known keys only, locked ones always, in the table's order. */
export function normalizeColumns(defs: readonly ColumnDef[], keys: Iterable<string>): string[] {
  const wanted = new Set(keys);
  return defs.filter((def) => def.locked || wanted.has(def.key)).map((def) => def.key);
}

/**
 * The person's visible columns. A column they never decided on follows its default, so a column
 * added to the table later appears (or not) as designed instead of being hidden by an old choice.
 * Anything unreadable in storage counts as no choice.
 */
export function loadColumns(storage: ColumnStorage, key: string, defs: readonly ColumnDef[]): string[] {
  const choice = readChoice(storage, key);
  if (!choice) return defaultColumns(defs);
  const shown = new Set(choice.shown);
  const hidden = new Set(choice.hidden);
  return normalizeColumns(
    defs,
    defs.filter((def) => shown.has(def.key) || (def.default && !hidden.has(def.key))).map((def) => def.key),
  );
}

/** Keeps the person's choice; a choice equal to the defaults is forgotten. Returns the columns now visible. */
export function saveColumns(
  storage: ColumnStorage,
  key: string,
  defs: readonly ColumnDef[],
  visible: Iterable<string>,
): string[] {
  const columns = normalizeColumns(defs, visible);
  const set = new Set(columns);
  const choice: StoredChoice = {
    shown: defs.filter((def) => !def.locked && !def.default && set.has(def.key)).map((def) => def.key),
    hidden: defs.filter((def) => !def.locked && def.default && !set.has(def.key)).map((def) => def.key),
  };
  try {
    if (choice.shown.length === 0 && choice.hidden.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(choice));
  } catch {
    // Storage full or refused (private mode): the choice lasts for this page only.
  }
  return columns;
}

/** Whether the visible columns are the defaults (the chooser's 恢复默认 has nothing to do). */
export function isDefault(defs: readonly ColumnDef[], visible: readonly string[]): boolean {
  const defaults = defaultColumns(defs);
  const columns = normalizeColumns(defs, visible);
  return defaults.length === columns.length && defaults.every((key, i) => columns[i] === key);
}

function readChoice(storage: ColumnStorage, key: string): StoredChoice | null {
  try {
    const raw = storage.getItem(key);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object') return null;
    const { shown, hidden } = parsed as Partial<StoredChoice>;
    const strings = (value: unknown) =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    return { shown: strings(shown), hidden: strings(hidden) };
  } catch {
    return null;
  }
}

/**
 * One person's visible columns of one table, kept in localStorage under their user id (people
 * sharing a computer keep their own), following a change of the person.
 */
export function useColumns(
  table: string,
  defs: readonly ColumnDef[],
  userId: Ref<string | null | undefined>,
  storage: ColumnStorage = localStorage,
): { visible: Ref<string[]>; set: (keys: Iterable<string>) => void; reset: () => void } {
  const key = () => (userId.value ? columnsKey(table, userId.value) : null);
  const load = () => {
    const k = key();
    return k ? loadColumns(storage, k, defs) : defaultColumns(defs);
  };
  const visible = ref<string[]>(load());
  watch(userId, () => (visible.value = load()));
  const set = (keys: Iterable<string>) => {
    const k = key();
    visible.value = k ? saveColumns(storage, k, defs, keys) : normalizeColumns(defs, keys);
  };
  return { visible, set, reset: () => set(defaultColumns(defs)) };
}
