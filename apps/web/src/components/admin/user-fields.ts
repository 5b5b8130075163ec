import type { Schemas } from '@/api/client';
import { label, ROLE_LABELS } from '@/lib/labels';

export type User = Schemas['UserView'];

/** What the edit dialog changes on a user, in the shape the form holds it. */
export interface UserEdit {
  displayName: string;
  role: User['role'];
  districtCodes: string[];
  phone: string;
}

export function editableOf(user: User): UserEdit {
  return {
    displayName: user.displayName,
    role: user.role,
    districtCodes: [...user.districtCodes],
    phone: user.phone ?? '',
  };
}

/** Districts as names; a supervisor without districts oversees the whole city. */
export function districtText(user: Pick<User, 'role' | 'districtCodes'>, names: Map<string, string>): string {
  if (user.role !== 'supervisor') return '—';
  if (user.districtCodes.length === 0) return '全市';
  return user.districtCodes.map((code) => names.get(code) ?? code).join('、');
}

const EDIT_LABELS: Record<keyof UserEdit, string> = {
  displayName: '姓名',
  role: '角色',
  districtCodes: '负责区县',
  phone: '手机号',
};

function shown(field: keyof UserEdit, edit: UserEdit, names: Map<string, string>): string {
  switch (field) {
    case 'role':
      return label(ROLE_LABELS, edit.role);
    case 'districtCodes':
      return districtText(edit, names);
    default:
      return edit[field] || '—';
  }
}

function same(a: UserEdit, b: UserEdit, field: keyof UserEdit): boolean {
  return JSON.stringify(a[field]) === JSON.stringify(b[field]);
}

export interface FieldChange {
  field: keyof UserEdit;
  label: string;
  from: string;
  to: string;
}

/** The fields that differ between two readings of a user, as "姓名：甲 → 乙". */
export function changesBetween(before: UserEdit, after: UserEdit, names: Map<string, string>): FieldChange[] {
  return (Object.keys(EDIT_LABELS) as (keyof UserEdit)[])
    .filter((field) => !same(before, after, field))
    .map((field) => ({
      field,
      label: EDIT_LABELS[field],
      from: shown(field, before, names),
      to: shown(field, after, names),
    }));
}

/**
 * After someone else changed the user: the latest values, except where the person typed something
 * of their own (a field that differs from what they first saw), which is kept.
 */
export function mergeTyped(seen: UserEdit, typed: UserEdit, latest: UserEdit): UserEdit {
  const merged = { ...latest, districtCodes: [...latest.districtCodes] };
  for (const field of Object.keys(EDIT_LABELS) as (keyof UserEdit)[]) {
    if (!same(seen, typed, field)) Object.assign(merged, { [field]: typed[field] });
  }
  return merged;
}
