/**
 * The coded values of the schema, with no dependency: the entities use them, and so does the web
 * app (its labels are keyed by these types, so a new code without a Chinese label is a type error).
 */
export const ROLES = ['admin', 'supervisor', 'commissioner'] as const;
export type Role = (typeof ROLES)[number];

export const TIERS = ['provincial', 'municipal', 'district'] as const;
export type Tier = (typeof TIERS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ENTERPRISE_STATUSES = ['active', 'archived'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

export const VISIT_METHODS = ['on_site', 'phone', 'online'] as const;
export type VisitMethod = (typeof VISIT_METHODS)[number];

export const DEMAND_STATUSES = ['open', 'filled', 'cancelled'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

export const URGENCIES = ['normal', 'high', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PROBLEM_CATEGORIES = [
  'recruitment',
  'policy_subsidy',
  'social_insurance',
  'labor_relations',
  'training',
  'wage_arrears',
  'other',
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export const PROBLEM_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const NOTIFICATION_KINDS = [
  'visit_upcoming',
  'visit_overdue',
  'problem_due_soon',
  'problem_overdue',
  'problem_escalated',
  'demand_stale',
  'digest',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_SUBJECT_TYPES = ['enterprise', 'problem', 'user'] as const;
export type NotificationSubjectType = (typeof NOTIFICATION_SUBJECT_TYPES)[number];
