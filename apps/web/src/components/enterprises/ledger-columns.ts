import type { ColumnDef } from '@/lib/columns';

/** The ledger's columns, in the table's order; `default` ones show until the person chooses. */
export const LEDGER_COLUMNS: readonly ColumnDef[] = [
  { key: 'name', label: '企业名称', default: true, locked: true },
  { key: 'creditCode', label: '统一社会信用代码', default: true },
  { key: 'district', label: '所属区县', default: true },
  { key: 'industry', label: '行业', default: false },
  { key: 'tier', label: '重点企业类别', default: true },
  { key: 'commissioner', label: '服务专员', default: true },
  { key: 'employeeCount', label: '员工总数', default: false },
  { key: 'shortage', label: '缺工人数', default: true },
  { key: 'contactName', label: '联系人', default: false },
  { key: 'contactPhone', label: '联系电话', default: false },
  { key: 'address', label: '地址', default: false },
  { key: 'lastVisitAt', label: '上次走访', default: false },
  { key: 'nextVisitDueAt', label: '下次走访', default: true },
  { key: 'visitCadenceDays', label: '走访周期', default: false },
  { key: 'status', label: '状态', default: false },
  { key: 'updatedAt', label: '更新时间', default: false },
];
