import type { Schemas } from '@/api/client';
import { PRIORITY_LABELS, TIER_LABELS } from '@/lib/labels';

export type Settings = Schemas['SettingsView'];
export type Group = 'slaDays' | 'visitCadenceDays' | 'reminderOffsets';

/** One number of the settings: where it lives, its Chinese label and its bounds (the API's). */
export interface SettingField {
  group: Group;
  key: string;
  label: string;
  max: number;
  hint?: string;
}

export const SETTING_GROUPS: { group: Group; title: string; hint: string }[] = [
  {
    group: 'slaDays',
    title: '问题办理时限',
    hint: '问题登记后按优先级计算到期时间；修改后对新登记或调整优先级的问题生效。',
  },
  { group: 'visitCadenceDays', title: '走访周期', hint: '各类重点企业的默认走访间隔；企业单独设置的周期不受影响。' },
  { group: 'reminderOffsets', title: '提醒设置', hint: '各类提醒相对到期时间的提前或延后量。' },
];

export const SETTING_FIELDS: SettingField[] = [
  { group: 'slaDays', key: 'urgent', label: `${PRIORITY_LABELS.urgent}（天）`, max: 366 },
  { group: 'slaDays', key: 'high', label: `${PRIORITY_LABELS.high}（天）`, max: 366 },
  { group: 'slaDays', key: 'normal', label: `${PRIORITY_LABELS.normal}（天）`, max: 366 },
  { group: 'slaDays', key: 'low', label: `${PRIORITY_LABELS.low}（天）`, max: 366 },
  { group: 'visitCadenceDays', key: 'provincial', label: `${TIER_LABELS.provincial}（天）`, max: 366 },
  { group: 'visitCadenceDays', key: 'municipal', label: `${TIER_LABELS.municipal}（天）`, max: 366 },
  { group: 'visitCadenceDays', key: 'district', label: `${TIER_LABELS.district}（天）`, max: 366 },
  {
    group: 'reminderOffsets',
    key: 'visitUpcomingDays',
    label: '走访到期前提醒（天）',

    max: 60,
    hint: '下次走访日期前若干天提醒服务专员',
  },
  {
    group: 'reminderOffsets',
    key: 'visitOverdueDays',
    label: '走访逾期后提醒（天）',

    max: 60,
    hint: '下次走访日期过后若干天提醒服务专员和科室负责人',
  },
  {
    group: 'reminderOffsets',
    key: 'problemDueSoonHours',
    label: '问题到期前提醒（小时）',

    max: 336,
    hint: '问题到期前若干小时提醒承办人',
  },
  {
    group: 'reminderOffsets',
    key: 'problemLongOverdueDays',
    label: '问题逾期后升级（天）',

    max: 60,
    hint: '问题逾期若干天仍未解决时提醒系统管理员',
  },
  {
    group: 'reminderOffsets',
    key: 'demandStaleDays',
    label: '用工需求未更新提醒（天）',

    max: 366,
    hint: '招聘中的用工需求若干天未更新时提醒服务专员',
  },
];

/** A settings field's path as the API names it in field errors, e.g. `slaDays.urgent`. */
export function pathOf(field: SettingField): string {
  return `${field.group}.${field.key}`;
}

export type Values = Record<string, number>;

/** The settings as a flat map `slaDays.urgent → 1`, for a form to bind and compare. */
export function valuesOf(settings: Settings): Values {
  const values: Values = {};
  for (const field of SETTING_FIELDS) {
    values[pathOf(field)] = (settings[field.group] as unknown as Record<string, number>)[field.key];
  }
  return values;
}

/**
 * The body of PATCH /settings for the given values: each group with a change, sent whole. (The
 * API merges the numbers sent into their group; the version sent with them keeps the rest of the
 * group from overwriting anyone's change made since this page read it.)
 */
export function patchOf(base: Values, values: Values): Partial<Record<Group, Record<string, number>>> {
  const changed = new Set(changedFields(base, values).map((field) => field.group));
  const patch: Partial<Record<Group, Record<string, number>>> = {};
  for (const field of SETTING_FIELDS) {
    if (changed.has(field.group)) (patch[field.group] ??= {})[field.key] = values[pathOf(field)];
  }
  return patch;
}

/** The fields whose values differ between two readings. */
export function changedFields(before: Values, after: Values): SettingField[] {
  return SETTING_FIELDS.filter((field) => before[pathOf(field)] !== after[pathOf(field)]);
}
