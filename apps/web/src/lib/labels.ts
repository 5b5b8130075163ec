/** The codes' Chinese names live with the schema's codes, shared with the API's files and templates. */
export {
  ROLE_LABELS,
  TIER_LABELS,
  ENTERPRISE_STATUS_LABELS,
  PROBLEM_STATUS_LABELS,
  PRIORITY_LABELS,
  PROBLEM_CATEGORY_LABELS,
  DEMAND_STATUS_LABELS,
  URGENCY_LABELS,
  VISIT_METHOD_LABELS,
  NOTIFICATION_KIND_LABELS,
} from '@keydesk/database';

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

/** Tag colours of statuses and priorities, so that the same state looks the same everywhere. */
export const TAG_TYPES: Record<string, TagType> = {
  active: 'success',
  archived: 'info',
  open: 'warning',
  in_progress: 'primary',
  resolved: 'warning',
  closed: 'success',
  filled: 'success',
  cancelled: 'info',
  low: 'info',
  normal: 'primary',
  high: 'warning',
  urgent: 'danger',
  provincial: 'danger',
  municipal: 'warning',
  district: 'primary',
};

/** A code's label, or a dash for none. An unknown code shows as "未知" rather than leaking the code. */
export function label<K extends string>(labels: Record<K, string>, code: K | null | undefined): string {
  if (code === null || code === undefined) return '—';
  return labels[code] ?? '未知';
}
