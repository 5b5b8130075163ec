import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/errors';
import { useCommissionerTable } from './useCommissionerTable';

const client = vi.hoisted(() => ({ get: vi.fn() }));
vi.mock('@/api/client', () => ({
  api: { GET: (path: string, init: unknown) => client.get(path, init) },
  call: <T>(request: Promise<T>) => request,
}));

const row = (displayName: string) => ({
  commissionerId: displayName,
  displayName,
  enterprises: 1,
  visitsLast30Days: 0,
  overdueVisits: 0,
  openProblems: 0,
  overdueProblems: 0,
});
const page = (names: string[], total = names.length) => ({ items: names.map(row), total, page: 1, pageSize: 10 });
const asked = () =>
  client.get.mock.calls.map(([path, init]) => [path, (init as { params: { query: object } }).params.query]);

describe('useCommissionerTable', () => {
  afterEach(() => vi.resetAllMocks());

  it('asks the server for each page and sort, and shows what it answers', async () => {
    client.get.mockResolvedValueOnce(page(['张伟', '刘芳'], 12)).mockResolvedValue(page(['陈静'], 12));
    const table = useCommissionerTable();
    await table.load();
    expect(table.rows.value.map((r) => r.displayName)).toEqual(['张伟', '刘芳']);
    expect(table.total.value).toBe(12);
    table.setPage(2);
    table.sort('overdueVisits', 'descending');
    await vi.waitFor(() => expect(table.loading.value).toBe(false));
    expect(asked()).toEqual([
      ['/api/v1/dashboard/commissioners', { page: 1, pageSize: 10 }],
      ['/api/v1/dashboard/commissioners', { page: 2, pageSize: 10 }],
      ['/api/v1/dashboard/commissioners', { page: 1, pageSize: 10, sort: '-overdueVisits' }],
    ]);
    expect(table.rows.value.map((r) => r.displayName)).toEqual(['陈静']);
  });

  it('shows only the latest answer when an earlier one arrives late', async () => {
    let answerFirst!: (value: unknown) => void;
    client.get
      .mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce(page(['新的']));
    const table = useCommissionerTable();
    const first = table.load();
    await table.load();
    answerFirst(page(['旧的']));
    await first;
    expect(table.rows.value.map((r) => r.displayName)).toEqual(['新的']);
  });

  it('keeps a failure to show in place, and clears it when a retry succeeds', async () => {
    client.get.mockRejectedValueOnce(new ApiError(0, null)).mockResolvedValue(page(['张伟']));
    const table = useCommissionerTable();
    await table.load();
    expect(table.failed.value).toBe('无法连接服务器，请检查网络后重试');
    expect(table.loading.value).toBe(false);
    await table.load();
    expect(table.failed.value).toBe('');
    expect(table.rows.value).toHaveLength(1);
  });
});
