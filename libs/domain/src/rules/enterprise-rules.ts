import { ConflictError, type FieldError } from '@keydesk/common';
import {
  type EnterpriseStatus,
  type FieldChanges,
  type JsonValue,
  type Role,
  type Tier,
  TIERS,
} from '@keydesk/database';
import { isMainlandPhone } from './contact-phone';
import { isValidCreditCode } from './credit-code';
import { codeError, textError, wholeNumberError } from './field-checks';

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

/** Active: on the ledger, served and reminded of; archived enterprises are left out of every aggregate. */
export function isEnterpriseActive(enterprise: { status: EnterpriseStatus }): boolean {
  return enterprise.status === 'active';
}

/** `isEnterpriseActive` as SQL over an enterprise alias. */
export const enterpriseActiveSql = (e: string): string => `${e}.status = 'active'`;

const DAY_MS = 24 * 3600 * 1000;

/** SPEC: the next visit is due at the follow-up the last visit set, else a cadence after it. */
export function nextVisitDueAt(
  latest: { visitedAt: Date; nextFollowUpAt: Date | null } | null,
  cadenceDays: number,
): Date | null {
  if (!latest) return null;
  return latest.nextFollowUpAt ?? new Date(latest.visitedAt.getTime() + cadenceDays * DAY_MS);
}

/**
 * A visit due within N days is one whose nextVisitDueAt lies before now + N days: the overdue
 * ones included, N = 0 meaning overdue only. Never-visited enterprises have no due date.
 */
export function visitDueCutoff(withinDays: number, now: Date): Date {
  return new Date(now.getTime() + withinDays * DAY_MS);
}

/** A visit is overdue once the next one's due date has passed; a never-visited enterprise has none. */
export function isVisitOverdue(enterprise: { nextVisitDueAt: Date | null }, now: Date): boolean {
  return enterprise.nextVisitDueAt !== null && enterprise.nextVisitDueAt.getTime() < now.getTime();
}

/**
 * `isVisitOverdue` as SQL over an enterprise alias; `now` is a parameter or an expression. Never
 * NULL, so that `NOT (...)` keeps the never-visited enterprises as its TypeScript twin does.
 */
export const visitOverdueSql = (e: string, now: string): string =>
  `(${e}.next_visit_due_at IS NOT NULL AND ${e}.next_visit_due_at < ${now})`;

/** New field work (visits, demands, problems) goes to active enterprises only: 409 for an archived one. */
export function assertEnterpriseActive(enterprise: { status: EnterpriseStatus }): void {
  if (enterprise.status !== 'active') throw new ConflictError('the enterprise is archived; restore it first');
}

/** An enterprise's own fields, as created or (any subset) changed. */
export interface EnterpriseFields {
  name: string;
  creditCode: string;
  industryCode: string;
  districtCode: string;
  address: string;
  tier: Tier;
  employeeCount: number;
  contactName: string;
  contactPhone: string;
  /** Null or absent: the tier's default from settings. */
  visitCadenceDays?: number | null;
}

/** Text limits: the columns' lengths, and what a meaningful value needs at least. */
const TEXT_LIMITS = {
  name: { min: 2, max: 200 },
  address: { min: 2, max: 300 },
  contactName: { min: 1, max: 50 },
} as const;

export const MAX_EMPLOYEE_COUNT = 10_000_000;
export const MAX_VISIT_CADENCE_DAYS = 366;

/**
 * What is wrong with the fields sent (absent ones are not checked), as the list of every fault
 * (empty: fine). The API's DTOs check the same before the domain is called; this keeps a caller
 * without them (the CLI, an import) from writing what the ledger would refuse over HTTP.
 * Reference codes are checked against their tables by the service.
 */
export function enterpriseFieldErrors(fields: Partial<EnterpriseFields>): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: keyof EnterpriseFields, message: string) => errors.push({ field, message });
  for (const field of Object.keys(TEXT_LIMITS) as (keyof typeof TEXT_LIMITS)[]) {
    const message = fields[field] === undefined ? null : textError(fields[field], TEXT_LIMITS[field]);
    if (message) fail(field, message);
  }
  if (fields.creditCode !== undefined && !isValidCreditCode(fields.creditCode)) {
    fail('creditCode', 'must be a valid unified social credit code (GB 32100-2015)');
  }
  const tierError = fields.tier === undefined ? null : codeError(fields.tier, TIERS);
  if (tierError) fail('tier', tierError);
  const countError =
    fields.employeeCount === undefined ? null : wholeNumberError(fields.employeeCount, 0, MAX_EMPLOYEE_COUNT);
  if (countError) fail('employeeCount', countError);
  if (fields.contactPhone !== undefined && !isMainlandPhone(fields.contactPhone)) {
    fail('contactPhone', 'must be a mainland mobile (11 digits) or landline number (0431-88886666)');
  }
  const cadence = fields.visitCadenceDays;
  if (cadence !== undefined && cadence !== null && wholeNumberError(cadence, 1, MAX_VISIT_CADENCE_DAYS)) {
    fail(
      'visitCadenceDays',
      `must be a whole number of days from 1 to ${MAX_VISIT_CADENCE_DAYS}, or null for the tier's default`,
    );
  }
  return errors;
}

/** What is wrong with a reassignment's reason (kept in the assignment history), or null. */
export function assignmentReasonError(reason: string): string | null {
  return textError(reason, { min: 2, max: 500 });
}
