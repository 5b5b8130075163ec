import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, nextTick, ref } from 'vue';
import { mount } from '@vue/test-utils';
import { ApiError } from '@/api/errors';
import type { ImportState, ImportView } from '@/api/imports';
import { useEnterpriseImport } from './useEnterpriseImport';

const api = vi.hoisted(() => ({ uploadEnterprises: vi.fn(), getImport: vi.fn(), applyImport: vi.fn() }));
vi.mock('@/api/imports', () => api);

function view(state: ImportState, rowsDone = 0): ImportView {
  return {
    id: 'imp-1',
    kind: 'enterprises',
    fileName: 'a.csv',
    state,
    rowsTotal: 10,
    rowsDone,
    counts: { create: 1, update: 0, unchanged: 0, invalid: 0 },
    errors: [],
    updates: [],
    mode: null,
    failure: null,
    createdBy: { id: 'u', displayName: '王' },
    createdAt: '2026-12-01T01:00:00Z',
    updatedAt: '2026-12-01T01:00:00Z',
    appliedAt: null,
  };
}

function host() {
  const open = ref(true);
  let handle!: ReturnType<typeof useEnterpriseImport>;
  const wrapper = mount(
    defineComponent({
      setup() {
        handle = useEnterpriseImport(open);
        return () => null;
      },
    }),
  );
  return { open, wrapper, get: () => handle };
}

const file = () => new File(['企业名称\n'], 'a.csv', { type: 'text/csv' });

describe('useEnterpriseImport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.resetAllMocks();
  });

  it('asks every second while the server validates, and stops when the dialog closes', async () => {
    api.uploadEnterprises.mockResolvedValue(view('validating', 0));
    api.getImport.mockResolvedValueOnce(view('validating', 5)).mockResolvedValue(view('validating', 8));
    const { open, get } = host();
    get().choose(file());
    await get().upload();
    expect(get().step.value).toBe(1);

    await vi.advanceTimersByTimeAsync(1000);
    expect(api.getImport).toHaveBeenCalledTimes(1);
    expect(get().current.value?.rowsDone).toBe(5);

    open.value = false;
    await nextTick();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.getImport).toHaveBeenCalledTimes(1);
    // Still running: opening again picks it up at once.
    expect(get().current.value?.state).toBe('validating');
    open.value = true;
    await nextTick();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.getImport).toHaveBeenCalledTimes(2);
  });

  it('asks again, more slowly, after a passing server fault, and never once the screen is gone', async () => {
    let answer!: (fresh: ImportView) => void;
    api.uploadEnterprises.mockResolvedValue(view('validating', 0));
    api.getImport
      .mockRejectedValueOnce(new ApiError(503, null))
      .mockResolvedValueOnce(view('validating', 5))
      .mockReturnValueOnce(new Promise<ImportView>((resolve) => (answer = resolve)));
    const { wrapper, get } = host();
    get().choose(file());
    await get().upload();

    await vi.advanceTimersByTimeAsync(1000);
    expect(api.getImport).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(api.getImport).toHaveBeenCalledTimes(2);
    expect(get().current.value?.rowsDone).toBe(5);

    // The ledger is left while an answer is on its way: when it comes, nothing asks again.
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.getImport).toHaveBeenCalledTimes(3);
    wrapper.unmount();
    answer(view('validating', 8));
    await vi.advanceTimersByTimeAsync(10000);
    expect(api.getImport).toHaveBeenCalledTimes(3);
  });

  it('follows an apply to its end and marks the ledger changed', async () => {
    api.uploadEnterprises.mockResolvedValue(view('validated', 10));
    api.applyImport.mockResolvedValue(view('applying', 0));
    api.getImport.mockResolvedValueOnce(view('applying', 6)).mockResolvedValueOnce(view('applied', 10));
    const { get } = host();
    get().choose(file());
    await get().upload();
    await get().apply('all');
    expect(api.applyImport).toHaveBeenCalledWith('imp-1', 'all');
    expect(get().step.value).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(get().step.value).toBe(3);
    expect(get().changedLedger.value).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.getImport).toHaveBeenCalledTimes(2);
  });

  it('drops an answer for an import the person has left, and refuses a file it cannot send', async () => {
    api.uploadEnterprises.mockResolvedValue(view('validating'));
    let answer!: (v: ImportView) => void;
    api.getImport.mockReturnValue(new Promise<ImportView>((resolve) => (answer = resolve)));
    const { get } = host();
    get().choose(file());
    await get().upload();
    await vi.advanceTimersByTimeAsync(1000);
    get().startOver();
    answer(view('validated'));
    await vi.advanceTimersByTimeAsync(0);
    expect(get().current.value).toBeNull();
    expect(get().step.value).toBe(0);

    get().choose(new File(['x'], 'a.xls'));
    expect(get().fileError.value).toContain('.xlsx 或 .csv');
    await get().upload();
    expect(api.uploadEnterprises).toHaveBeenCalledTimes(1);
  });
});
