import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { Environment } from '@keydesk/config';
import { CheckJobData, QUEUE, REMINDER_JOB, SubjectRef, WEBHOOK_JOB, WebhookJobData } from './queues';

/** Subjects per check job when many are due at once: big enough to batch, small enough to share among workers. */
export const CHECK_BATCH = 100;
/** An enqueue after a commit never holds a request longer than this; the reconciler covers a failed one. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Options of every reminder job: finished ones are not kept (a wake-up's id must be free for the
 * next time), and a job that failed on a passing error (a deadlock, a dropped connection) is
 * tried again shortly rather than waiting for the next sweep.
 */
export const REMINDER_JOB_OPTIONS = {
  removeOnComplete: true,
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
} as const satisfies JobsOptions;

/**
 * The checks that follow a change wait behind what is due now (BullMQ takes jobs without a
 * priority first): wake-ups at their moment and what the sweep found owing. A change's check
 * mostly finds nothing due and only schedules wake-ups; after hours of edits with no worker
 * running, thousands of them can be waiting, and a reminder due at this moment must not queue
 * behind them (measured: 100 000 due at once took 25–134 s behind such a backlog).
 */
export const CHANGE_CHECK_PRIORITY = 10;

/**
 * Wake-ups fire at the end of a 200 ms bucket: never before their moment, at most 200 ms after
 * it, and everything due in one bucket is checked by one job of up to CHECK_BATCH subjects.
 */
export const WAKE_BUCKET_MS = 200;

export function wakeUpBucket(fireAt: Date): number {
  return Math.ceil(fireAt.getTime() / WAKE_BUCKET_MS) * WAKE_BUCKET_MS;
}

/**
 * A delayed wake-up's job id: its moment and its subjects, so that scheduling the same wake-up
 * twice adds it once. A batch is named by a digest of every subject in it: two different batches
 * of one moment must never share an id, or BullMQ keeps the first and silently drops the second.
 * (BullMQ ids may not contain ":".)
 */
export function wakeUpJobId(bucket: number, subjects: SubjectRef[]): string {
  const [first] = subjects;
  if (subjects.length === 1) return `wake-${bucket}-${first.type}-${first.id}`;
  const digest = createHash('sha256');
  for (const subject of subjects) digest.update(`${subject.type}/${subject.id};`);
  return `wake-${bucket}-batch-${subjects.length}-${digest.digest('hex').slice(0, 32)}`;
}

/** The moment a wake-up was scheduled for, read back from its job id (undefined for other jobs). */
export function wakeUpMoment(jobId: string | undefined): Date | undefined {
  const match = jobId?.match(/^wake-(\d+)-/);
  return match ? new Date(Number(match[1])) : undefined;
}

/** The one producer of reminder and webhook jobs; the API and the worker both enqueue through it. */
@Injectable()
export class ReminderQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('reminders');

  constructor(
    @InjectQueue(QUEUE.reminders) readonly reminders: Queue,
    @InjectQueue(QUEUE.webhooks) readonly webhooks: Queue,
    private readonly env: Environment,
  ) {}

  /**
   * Called after a domain change has committed: the worker checks these subjects now and
   * schedules their next wake-up. Never throws: a lost enqueue is found by the reconciler.
   */
  async subjectsChanged(subjects: SubjectRef[]): Promise<void> {
    await this.bounded('check after change', () => this.checkNow(subjects, CHANGE_CHECK_PRIORITY));
  }

  /** Immediate checks of many subjects, in batches (the reconciler's finds: due now, so no priority). */
  async checkNow(subjects: SubjectRef[], priority?: number): Promise<void> {
    if (subjects.length === 0) return;
    await this.reminders.addBulk(
      chunk(subjects, CHECK_BATCH).map((batch) => ({
        name: REMINDER_JOB.check,
        data: { subjects: batch } satisfies CheckJobData,
        opts: { ...REMINDER_JOB_OPTIONS, priority },
      })),
    );
  }

  /** Delayed wake-ups at each subject's next moment, batched by bucket; one that already exists is not added again. */
  async wakeUpAt(wakeUps: { subject: SubjectRef; fireAt: Date }[], now: Date): Promise<void> {
    if (wakeUps.length === 0) return;
    const buckets = new Map<number, SubjectRef[]>();
    for (const { subject, fireAt } of wakeUps) {
      const bucket = wakeUpBucket(fireAt);
      const batch = buckets.get(bucket);
      if (batch) batch.push(subject);
      else buckets.set(bucket, [subject]);
    }
    const jobs = [...buckets].flatMap(([bucket, subjects]) =>
      chunk(
        subjects.sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id)),
        CHECK_BATCH,
      ).map((batch) => ({
        name: REMINDER_JOB.check,
        data: { subjects: batch } satisfies CheckJobData,
        opts: {
          jobId: wakeUpJobId(bucket, batch),
          delay: Math.max(0, bucket - now.getTime()),
          ...REMINDER_JOB_OPTIONS,
        } satisfies JobsOptions,
      })),
    );
    for (const part of chunk(jobs, 1000)) await this.reminders.addBulk(part);
  }

  /**
   * A sweep now, ahead of whatever is waiting (LIFO): after an outage the queue may hold
   * thousands of checks, and the sweep is what schedules the wake-ups about to fall due.
   */
  async reconcileNow(): Promise<void> {
    await this.bounded('reconcile', () =>
      this.reminders.add(REMINDER_JOB.reconcile, {}, { ...REMINDER_JOB_OPTIONS, lifo: true }),
    );
  }

  /** Today's digest, if it has not gone out (the job itself checks). */
  async digestNow(): Promise<void> {
    await this.reminders.add(REMINDER_JOB.digest, {}, REMINDER_JOB_OPTIONS);
  }

  /** One delivery job per notification (its id is the job id), retried with exponential backoff. */
  async deliverWebhooks(notificationIds: string[]): Promise<void> {
    if (notificationIds.length === 0 || !this.env.WEBHOOK_URL) return;
    await this.webhooks.addBulk(
      notificationIds.map((notificationId) => ({
        name: WEBHOOK_JOB,
        data: { notificationId } satisfies WebhookJobData,
        opts: {
          jobId: `webhook-${notificationId}`,
          attempts: this.env.WEBHOOK_MAX_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.env.WEBHOOK_BACKOFF_MS },
          removeOnComplete: { count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
        } satisfies JobsOptions,
      })),
    );
  }

  /**
   * A queue closes by sending QUIT and waiting for the answer; while Redis is unreachable its
   * connection holds that command until Redis is back, and the process never finishes shutting
   * down. A queue whose connection is down is torn down at once instead (what it could not
   * enqueue, the reconciler finds); a connected one closes normally afterwards.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      [this.reminders, this.webhooks].map(async (queue) => {
        // Never connected at all: BullMQ's own close disconnects it, and its client never resolves.
        const backend = queue.getBackend();
        const client = await settledWithin(backend.client, 100);
        if (client && client.status !== 'ready') await backend.close(true);
      }),
    );
  }

  private async bounded(what: string, enqueue: () => Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        enqueue(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer from Redis in ${ENQUEUE_TIMEOUT_MS} ms`)),
            ENQUEUE_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.logger.warn(`enqueue failed (${what}); the reconciler will catch up: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The promise's value if it settles within `ms`, else undefined (a rejection counts as undefined too). */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.catch(() => undefined),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
