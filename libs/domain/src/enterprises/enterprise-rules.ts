import { ConflictError } from '@keydesk/common';
import type { EnterpriseStatus, FieldChanges, JsonValue, Role, Tier } from '@keydesk/database';

/** Fields a PATCH may change. `status` and `commissionerId` have their own actions. */
export const ENTERPRISE_EDITABLE_FIELDS = [
  'name',
  'creditCode',
  'industryCode',
  'districtCode',
  'address',
  'tier',
  'employeeCount',
  'contactName',
  'contactPhone',
  'visitCadenceDays',
] as const;
export type EnterpriseEditableField = (typeof ENTERPRISE_EDITABLE_FIELDS)[number];

/** What a commissioner learns in the field and may keep current; the rest is the supervisors'. */
export const COMMISSIONER_EDITABLE_FIELDS: ReadonlySet<EnterpriseEditableField> = new Set([
  'address',
  'employeeCount',
  'contactName',
  'contactPhone',
]);

/** The fields of a change that the role may not make (empty: allowed). */
export function fieldsRoleMayNotEdit(
  role: Role,
  fields: readonly EnterpriseEditableField[],
): EnterpriseEditableField[] {
  switch (role) {
    case 'admin':
    case 'supervisor':
      return [];
    case 'commissioner':
      return fields.filter((field) => !COMMISSIONER_EDITABLE_FIELDS.has(field));
  }
}

/** The fields whose value actually changes, as `{field: {from, to}}`; unchanged ones are left out. */
export function diffFields<T extends object>(current: T, patch: Partial<T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    const from = (current as Record<string, unknown>)[field];
    if (!sameValue(from, to)) changes[field] = { from: toJson(from), to: toJson(to) };
  }
  return changes;
}

function toJson(value: unknown): JsonValue {
  if (value instanceof Date) return value.toISOString();
  return (value ?? null) as JsonValue;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}

/** The cadence an enterprise is visited at: its own, else the default for its tier from settings. */
export function effectiveVisitCadenceDays(
  enterprise: { visitCadenceDays: number | null; tier: Tier },
  cadenceByTier: Record<Tier, number>,
): number {
  return enterprise.visitCadenceDays ?? cadenceByTier[enterprise.tier];
}

/** New field work (visits, demands, problems) goes to active enterprises only: 409 for an archived one. */
export function assertEnterpriseActive(enterprise: { status: EnterpriseStatus }): void {
  if (enterprise.status !== 'active') throw new ConflictError('the enterprise is archived; restore it first');
}
