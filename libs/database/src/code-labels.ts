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
} from './entities/enums';

/**
 * Every code's Chinese name, as the bureau's staff read it: on the screens, in exported files and
 * in import templates (where a coded column takes the code or this name). Keyed by the schema's
 * own code types, so a code without a Chinese name is a type error. No dependency: the web app
 * imports this through `codes.ts`.
 */

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
