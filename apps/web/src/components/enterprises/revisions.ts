import type { Schemas } from '@/api/client';
import { FIELD_LABELS } from '@/api/errors';
import { formatDateTime, formatNumber } from '@/lib/format';
import { ENTERPRISE_STATUS_LABELS, TIER_LABELS, label } from '@/lib/labels';
import { PROFILE_FIELDS } from './enterprise-form';

type Revision = Schemas['EnterpriseRevisionView'];

/** What a revision did, in the words of the ledger's history. */
export const REVISION_ACTION_LABELS: Record<string, string> = {
  created: '新增企业',
  updated: '修改信息',
  archived: '归档',
  restored: '恢复',
  reassigned: '更换服务专员',
  visit: '走访更新',
};

const EXTRA_LABELS: Record<string, string> = {
  status: '状态',
  visitCadenceDays: '走访周期',
  lastVisitAt: '上次走访',
  nextVisitDueAt: '下次走访',
};

/** The names a change's codes are shown with. */
export interface ChangeNames {
  districts: ReadonlyMap<string, string>;
  industries: ReadonlyMap<string, string>;
  /** Commissioners by id (from the assignment history, which names them). */
  users: ReadonlyMap<string, string>;
}

export interface ChangeLine {
  field: string;
  label: string;
  from: string;
  to: string;
}

export function fieldLabel(field: string): string {
  return EXTRA_LABELS[field] ?? FIELD_LABELS[field] ?? '其他信息';
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value of a revision as a person reads it: codes by name, numbers with separators, times in Beijing time. */
export function formatChangeValue(field: string, value: unknown, names: ChangeNames): string {
  if (value === null || value === undefined || value === '') {
    return field === 'visitCadenceDays' ? '按类别默认' : '（空）';
  }
  switch (field) {
    case 'tier':
      return label(TIER_LABELS, value as keyof typeof TIER_LABELS);
    case 'status':
      return label(ENTERPRISE_STATUS_LABELS, value as keyof typeof ENTERPRISE_STATUS_LABELS);
    case 'districtCode':
      return names.districts.get(String(value)) ?? '（未知区县）';
    case 'industryCode':
      return names.industries.get(String(value)) ?? '（未知行业）';
    case 'commissionerId':
      return names.users.get(String(value)) ?? '（其他专员）';
    case 'visitCadenceDays':
      return `${formatNumber(Number(value))} 天`;
  }
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' && ISO_TIME.test(value)) return formatDateTime(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A revision's `{field: {from, to}}` as lines "字段：旧 → 新", in the form's field order. */
export function describeChanges(changes: Revision['changes'], names: ChangeNames): ChangeLine[] {
  return Object.entries(changes)
    .map(([field, change]) => {
      const { from, to } = (change ?? {}) as { from?: unknown; to?: unknown };
      return {
        field,
        label: fieldLabel(field),
        from: formatChangeValue(field, from, names),
        to: formatChangeValue(field, to, names),
      };
    })
    .sort((a, b) => rank(a.field) - rank(b.field));
}

/** Fields in the order the profile shows them. */
const ORDER: readonly string[] = [...PROFILE_FIELDS, 'commissionerId', 'status', 'lastVisitAt', 'nextVisitDueAt'];

function rank(field: string): number {
  const i = ORDER.indexOf(field);
  return i < 0 ? ORDER.length : i;
}

/** The revisions made after the person's reading (version), oldest first: what happened since. */
export function revisionsSince(revisions: readonly Revision[], version: number): Revision[] {
  return revisions.filter((r) => r.version > version).sort((a, b) => a.version - b.version);
}
