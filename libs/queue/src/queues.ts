/** Every queue keydesk uses, by name. */
export const QUEUE = {
  /** Reminder checks (immediate and delayed wake-ups), the reconciliation sweep and the daily digest. */
  reminders: 'reminders',
  /** Outbound webhook deliveries, apart so a slow receiver never holds up the inbox. */
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** Job names on the reminders queue. */
export const REMINDER_JOB = {
  /** Send whatever is due for some subjects, then schedule their next wake-up. */
  check: 'check',
  /** Find everything due and not yet notified, and the wake-ups coming up; see ReminderReconciler. */
  reconcile: 'reconcile',
  digest: 'digest',
} as const;
export type ReminderJobName = (typeof REMINDER_JOB)[keyof typeof REMINDER_JOB];

export const WEBHOOK_JOB = 'deliver';

/** What a reminder is about, as far as scheduling goes. */
export type ReminderSubjectType = 'enterprise' | 'problem';
export interface SubjectRef {
  type: ReminderSubjectType;
  id: string;
}

export interface CheckJobData {
  subjects: SubjectRef[];
}

export interface WebhookJobData {
  notificationId: string;
}

/** Job schedulers, registered from one place (the worker) under these ids. */
export const SCHEDULER = {
  reconcile: 'reconcile',
  digest: 'digest',
} as const;
