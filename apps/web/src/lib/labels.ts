import type {
  DemandStatus,
  EnterpriseStatus,
  NotificationKind,
  Priority,
  ProblemCategory,
  ProblemStatus,
  Role,
  Tier,
  Urgency,
  VisitMethod,
} from '@keydesk/database';

// Keyed by the schema's own code types: a code without a Chinese label is a type error.

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  supervisor: '科室负责人',
  commissioner: '服务专员',
};

export const TIER_LABELS: Record<Tier, string> = {
  provincial: '省级重点',
  municipal: '市级重点',
  district: '区级重点',
};

export const ENTERPRISE_STATUS_LABELS: Record<EnterpriseStatus, string> = { active: '正常', archived: '已归档' };

export const PROBLEM_STATUS_LABELS: Record<ProblemStatus, string> = {
  open: '待受理',
  in_progress: '办理中',
  resolved: '待审核',
  closed: '已办结',
};

export const PRIORITY_LABELS: Record<Priority, string> = { low: '低', normal: '一般', high: '高', urgent: '紧急' };

export const PROBLEM_CATEGORY_LABELS: Record<ProblemCategory, string> = {
  recruitment: '招工用工',
  policy_subsidy: '政策补贴',
  social_insurance: '社会保险',
  labor_relations: '劳动关系',
  training: '技能培训',
  wage_arrears: '欠薪问题',
  other: '其他',
};

export const DEMAND_STATUS_LABELS: Record<DemandStatus, string> = {
  open: '招聘中',
  filled: '已招满',
  cancelled: '已取消',
};

export const URGENCY_LABELS: Record<Urgency, string> = { normal: '一般', high: '较急', urgent: '紧急' };

export const VISIT_METHOD_LABELS: Record<VisitMethod, string> = { on_site: '实地走访', phone: '电话', online: '线上' };

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  visit_upcoming: '走访即将到期',
  visit_overdue: '走访逾期',
  problem_due_soon: '问题即将到期',
  problem_overdue: '问题逾期',
  problem_escalated: '问题升级',
  demand_stale: '需求清单待更新',
  digest: '每日汇总',
};

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
