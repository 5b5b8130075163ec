import type { Role, Tier } from '@keydesk/database';
import {
  creditCodeCheckCharacter,
  ENTERPRISE_EDITABLE_FIELDS,
  type EnterpriseEditableField,
  fieldsRoleMayNotEdit,
  isMainlandPhone,
  isValidCreditCode,
} from '@keydesk/rules';
import type { FormItemRule, FormRules } from 'element-plus';
import type { Schemas } from '@/api/client';
import { ApiError, fieldErrors } from '@/api/errors';

/** The fields of the ledger a person edits (status and commissioner have their own actions). */
// The form's order of the API's editable fields: every one of them, or this is a type error.
const FORM_ORDER = {
  name: 1,
  creditCode: 2,
  districtCode: 3,
  industryCode: 4,
  address: 5,
  tier: 6,
  employeeCount: 7,
  contactName: 8,
  contactPhone: 9,
  visitCadenceDays: 10,
} satisfies Record<EnterpriseEditableField, number>;
export const PROFILE_FIELDS: readonly EnterpriseEditableField[] = [...ENTERPRISE_EDITABLE_FIELDS].sort(
  (a, b) => FORM_ORDER[a] - FORM_ORDER[b],
);
export type ProfileField = EnterpriseEditableField;

/** The form's values. `visitCadenceDays` null: the tier's default cadence. */
export interface ProfileDraft {
  name: string;
  creditCode: string;
  districtCode: string;
  industryCode: string;
  address: string;
  tier: Tier;
  employeeCount: number | null;
  contactName: string;
  contactPhone: string;
  visitCadenceDays: number | null;
}

/** Which inputs to offer: the API's own rule (it refuses anything else with 403). */
export function editableFields(role: Role | null | undefined): ReadonlySet<ProfileField> {
  if (!role) return new Set();
  return new Set(PROFILE_FIELDS.filter((field) => fieldsRoleMayNotEdit(role, [field]).length === 0));
}

/** The form's values for a record as the API returned it. */
export function draftOf(enterprise: Schemas['EnterpriseView']): ProfileDraft {
  return {
    name: enterprise.name,
    creditCode: enterprise.creditCode,
    districtCode: enterprise.districtCode,
    industryCode: enterprise.industryCode,
    address: enterprise.address,
    tier: enterprise.tier,
    employeeCount: enterprise.employeeCount,
    contactName: enterprise.contactName,
    contactPhone: enterprise.contactPhone,
    visitCadenceDays: enterprise.customVisitCadence ? enterprise.visitCadenceDays : null,
  };
}

function clean(value: ProfileDraft[ProfileField]): ProfileDraft[ProfileField] {
  return typeof value === 'string' ? value.trim() : (value ?? null);
}

/** The fields the person changed from `base`, with their (trimmed) values: what a PATCH sends. */
export function changedFields(base: ProfileDraft, draft: ProfileDraft): Partial<ProfileDraft> {
  const changes: Partial<Record<ProfileField, unknown>> = {};
  for (const field of PROFILE_FIELDS) {
    const value = clean(draft[field]);
    if (value !== clean(base[field])) changes[field] = value;
  }
  return changes as Partial<ProfileDraft>;
}

/** The person's changes laid over a fresh record, so that reloading after a conflict loses nothing typed. */
export function reapply(fresh: ProfileDraft, mine: Partial<ProfileDraft>): ProfileDraft {
  return { ...fresh, ...mine };
}

/** The fields both the person and someone else changed since the person's reading. */
export function collisions(before: ProfileDraft, fresh: ProfileDraft, mine: Partial<ProfileDraft>): ProfileField[] {
  return PROFILE_FIELDS.filter((field) => field in mine && clean(before[field]) !== clean(fresh[field]));
}

const CREDIT_CODE_CHARSET = /^[0-9ABCDEFGHJKLMNPQRTUWXY]*$/;

/** A credit code as typed, in the form it is kept: capitals, no spaces. */
export function normalizeCreditCode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * What is wrong with a credit code as it is typed (null: nothing), said briefly: the message sits
 * under the field. The verdict is the shared rule's (`isValidCreditCode`); the rest only says why.
 */
export function creditCodeProblem(code: string): string | null {
  if (code === '') return '请输入统一社会信用代码';
  if (isValidCreditCode(code)) return null;
  if (!CREDIT_CODE_CHARSET.test(code)) return '只含数字和大写字母（不用 I、O、Z、S、V）';
  if (code.length !== 18) return `应为 18 位，已输入 ${code.length} 位`;
  const check = creditCodeCheckCharacter(code.slice(0, 17));
  if (check !== null && /^\d{6}$/.test(code.slice(2, 8)) && check !== code[17]) {
    return '校验位不符，请核对';
  }
  return '第 3–8 位应为行政区划代码';
}

export function phoneProblem(phone: string): string | null {
  if (phone.trim() === '') return '请输入联系电话';
  return isMainlandPhone(phone.trim()) ? null : '手机号或座机号格式不正确';
}

/**
 * The API's refusals of an enterprise form, by field: its validation errors, and the refusals
 * that concern one field though they are not validation errors (a credit code already in the
 * ledger, a district outside the person's).
 */
export function enterpriseFieldErrors(error: unknown): Record<string, string> {
  const errors = fieldErrors(error);
  if (error instanceof ApiError && error.problem) {
    const { type, detail } = error.problem;
    if (type === 'urn:keydesk:error:conflict' && /credit code/.test(detail)) {
      errors.creditCode = '该统一社会信用代码已在台账中';
    }
    if (type === 'urn:keydesk:error:forbidden' && /outside your districts/.test(detail)) {
      errors.districtCode = '不在您负责的区县范围内';
    }
  }
  return errors;
}

function check(problem: (value: string) => string | null): FormItemRule['validator'] {
  return (_rule, value: string, callback) => {
    const message = problem(value ?? '');
    callback(message ? new Error(message) : undefined);
  };
}

/**
 * The form's checks of an enterprise's fields, for the new-enterprise dialog and the profile's
 * edit alike. The credit code is checked as typed, by the domain's own rule.
 */
export const ENTERPRISE_FORM_RULES: FormRules = {
  name: [
    { required: true, message: '请输入企业名称', trigger: 'blur' },
    { min: 2, max: 200, message: '企业名称为 2–200 个字', trigger: 'blur' },
  ],
  creditCode: [{ validator: check(creditCodeProblem), trigger: 'change' }],
  districtCode: [{ required: true, message: '请选择所属区县', trigger: 'change' }],
  industryCode: [{ required: true, message: '请选择行业', trigger: 'change' }],
  tier: [{ required: true, message: '请选择重点企业类别', trigger: 'change' }],
  employeeCount: [{ required: true, message: '请输入员工总数', trigger: 'blur' }],
  address: [
    { required: true, message: '请输入地址', trigger: 'blur' },
    { min: 2, max: 300, message: '地址为 2–300 个字', trigger: 'blur' },
  ],
  contactName: [{ required: true, message: '请输入联系人', trigger: 'blur' }],
  contactPhone: [{ validator: check(phoneProblem), trigger: 'blur' }],
};
