import type { Job } from 'bullmq';

/** Every queue keydesk uses, by name. */
export const QUEUE = {
  /** Reminder checks (immediate and delayed wake-ups), the reconciliation sweep and the daily digest. */
  reminders: 'reminders',
  /** Outbound webhook deliveries, apart so a slow receiver never holds up the inbox. */
  webhooks: 'webhooks',
  /** The worker's own upkeep (rollup compaction); only the worker enqueues here. */
  maintenance: 'maintenance',
  /** Spreadsheet imports too large to validate within the request, and every apply; one at a time. */
  imports: 'imports',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

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

export interface ImportJobData {
  importId: string;
}

/** A job that needs nothing but its name. */
export type NoJobData = Record<string, never>;

/**
 * Every job keydesk runs, by name: its payload. The one list producers and handlers are typed
 * against; the worker checks at start that each name has exactly one handler (apps/worker/src/jobs).
 */
export interface JobPayloads {
  /** Send whatever is due for some subjects, then schedule their next wake-up. */
  check: CheckJobData;
  /** Find everything due and not yet notified, and the wake-ups coming up; see ReminderReconciler. */
  reconcile: NoJobData;
  /** Today's 08:30 digest, if it has not gone out. */
  digest: NoJobData;
  /** Post one notification to the webhook. */
  deliver: WebhookJobData;
  /** Fold the rollup tables' deltas. */
  'compact-rollups': NoJobData;
  /** Read an uploaded file and record its dry run (what it would create, update, or refuse). */
  'import-validate': ImportJobData;
  /** Check an import's plan again and write it, in one transaction. */
  'import-apply': ImportJobData;
  /** Fail the imports whose job was lost; drop the files of imports finished a week ago. */
  'import-housekeeping': NoJobData;
}
export type JobName = keyof JobPayloads;

/** The queue each job runs on. */
export const JOB_QUEUE = {
  check: QUEUE.reminders,
  reconcile: QUEUE.reminders,
  digest: QUEUE.reminders,
  deliver: QUEUE.webhooks,
  'compact-rollups': QUEUE.maintenance,
  'import-validate': QUEUE.imports,
  'import-apply': QUEUE.imports,
  'import-housekeeping': QUEUE.imports,
} as const satisfies Record<JobName, QueueName>;

/** The names of the jobs on one queue. */
export type JobNameOn<Q extends QueueName> = { [K in JobName]: (typeof JOB_QUEUE)[K] extends Q ? K : never }[JobName];

/** A typed job of this name. */
export type JobOf<K extends JobName> = Job<JobPayloads[K], unknown, K>;

/** One handler for every job of a queue: a job name added to the list without a handler is a type error. */
export type JobHandlers<Q extends QueueName> = { [K in JobNameOn<Q>]: (job: JobOf<K>) => Promise<unknown> };

/** Job names on the reminders queue. */
export const REMINDER_JOB = {
  check: 'check',
  reconcile: 'reconcile',
  digest: 'digest',
} as const satisfies Record<string, JobNameOn<typeof QUEUE.reminders>>;
export type ReminderJobName = JobNameOn<typeof QUEUE.reminders>;

export const WEBHOOK_JOB = 'deliver' satisfies JobNameOn<typeof QUEUE.webhooks>;
export const MAINTENANCE_JOB = { compactRollups: 'compact-rollups' } as const satisfies Record<
  string,
  JobNameOn<typeof QUEUE.maintenance>
>;

export const IMPORT_JOB = {
  validate: 'import-validate',
  apply: 'import-apply',
  housekeeping: 'import-housekeeping',
} as const satisfies Record<string, JobNameOn<typeof QUEUE.imports>>;

/** Job schedulers, registered from one place (the worker) under these ids. */
export const SCHEDULER = {
  reconcile: 'reconcile',
  digest: 'digest',
  compactRollups: 'compact-rollups',
  importHousekeeping: 'import-housekeeping',
} as const;
