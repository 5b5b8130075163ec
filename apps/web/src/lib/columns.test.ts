import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import {
  columnsKey,
  defaultColumns,
  isDefault,
  loadColumns,
  normalizeColumns,
  saveColumns,
  useColumns,
  type ColumnDef,
  type ColumnStorage,
} from './columns';

const DEFS: ColumnDef[] = [
  { key: 'name', label: '企业名称', default: true, locked: true },
  { key: 'creditCode', label: '统一社会信用代码', default: true },
  { key: 'district', label: '所属区县', default: true },
  { key: 'industry', label: '行业', default: false },
  { key: 'phone', label: '联系电话', default: false },
];

function memory(initial: Record<string, string> = {}): ColumnStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => void (data[key] = value),
    removeItem: (key) => void delete data[key],
  };
}

describe('columns', () => {
  it('shows the default columns, locked ones included, when the person has not chosen', () => {
    expect(defaultColumns(DEFS)).toEqual(['name', 'creditCode', 'district']);
    expect(loadColumns(memory(), 'k', DEFS)).toEqual(['name', 'creditCode', 'district']);
  });

  it('keys the choice by table and person', () => {
    expect(columnsKey('ledger', 'u1')).toBe('keydesk.columns.ledger.u1');
    expect(columnsKey('ledger', 'u1')).not.toBe(columnsKey('ledger', 'u2'));
  });

  it('keeps known columns in the table order and never drops a locked one', () => {
    expect(normalizeColumns(DEFS, ['phone', 'unknown', 'creditCode'])).toEqual(['name', 'creditCode', 'phone']);
    expect(normalizeColumns(DEFS, [])).toEqual(['name']);
  });

  it('remembers hidden and shown columns, and reads them back', () => {
    const storage = memory();
    const visible = saveColumns(storage, 'k', DEFS, ['name', 'district', 'phone']);
    expect(visible).toEqual(['name', 'district', 'phone']);
    expect(JSON.parse(storage.data.k)).toEqual({ shown: ['phone'], hidden: ['creditCode'] });
    expect(loadColumns(storage, 'k', DEFS)).toEqual(['name', 'district', 'phone']);
  });

  it('forgets a choice equal to the defaults', () => {
    const storage = memory({ k: JSON.stringify({ shown: ['phone'], hidden: [] }) });
    saveColumns(storage, 'k', DEFS, ['creditCode', 'district']);
    expect(storage.data.k).toBeUndefined();
  });

  it('a column added later follows its default for someone who chose before', () => {
    const storage = memory();
    saveColumns(storage, 'k', DEFS, ['name', 'creditCode']); // hid district
    const later: ColumnDef[] = [...DEFS, { key: 'shortage', label: '缺工人数', default: true }];
    expect(loadColumns(storage, 'k', later)).toEqual(['name', 'creditCode', 'shortage']);
  });

  it('treats unreadable storage as no choice', () => {
    for (const raw of ['not json', 'null', '42', '{"shown": "x", "hidden": [1]}']) {
      expect(loadColumns(memory({ k: raw }), 'k', DEFS)).toEqual(['name', 'creditCode', 'district']);
    }
    const broken: ColumnStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => undefined,
    };
    expect(loadColumns(broken, 'k', DEFS)).toEqual(defaultColumns(DEFS));
    expect(saveColumns(broken, 'k', DEFS, ['name'])).toEqual(['name']);
  });

  it('tells whether the visible columns are the defaults', () => {
    expect(isDefault(DEFS, ['district', 'creditCode', 'name'])).toBe(true);
    expect(isDefault(DEFS, ['name', 'creditCode'])).toBe(false);
  });

  it('useColumns keeps each person their own columns', async () => {
    const storage = memory();
    const user = ref<string | null>('u1');
    const columns = useColumns('ledger', DEFS, user, storage);
    columns.set(['name', 'phone']);
    expect(columns.visible.value).toEqual(['name', 'phone']);
    user.value = 'u2';
    await nextTick();
    expect(columns.visible.value).toEqual(['name', 'creditCode', 'district']);
    user.value = 'u1';
    await nextTick();
    expect(columns.visible.value).toEqual(['name', 'phone']);
    columns.reset();
    expect(columns.visible.value).toEqual(['name', 'creditCode', 'district']);
    expect(storage.data[columnsKey('ledger', 'u1')]).toBeUndefined();
  });
});
