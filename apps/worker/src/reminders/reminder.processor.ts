import { Processor } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { DigestService, ReminderDeliveryService, ReminderReconciler, SentNotification } from '@keydesk/domain';
import { JobHandlers, JobOf, QUEUE, ReminderQueue, wakeUpMoment } from '@keydesk/queue';
import { JobProcessor } from '../jobs/job-processor';

/** A wake-up that Redis hands over a little early (clocks differ) waits for its moment, up to this long. */
const MAX_EARLY_MS = 5000;

/**
 * Runs reminder jobs. Every one is safe to run twice: what it sends is deduplicated by the
 * database, so BullMQ's at-least-once delivery never shows anyone the same reminder twice.
 */
@Processor(QUEUE.reminders, { maxStalledCount: 3, autorun: false })
export class ReminderProcessor
  extends JobProcessor<typeof QUEUE.reminders>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('reminders');
  readonly queue = QUEUE.reminders;
  readonly handlers: JobHandlers<typeof QUEUE.reminders> = {
    check: (job) => this.check(job),
    reconcile: () => this.reconciler.run(),
    digest: async () => {
      const sent = await this.digest.run();
      this.logSent(sent);
      await this.reminderQueue.deliverWebhooks(sent.map((n) => n.id));
      return { sent: sent.length };
    },
  };

  constructor(
    private readonly delivery: ReminderDeliveryService,
    private readonly reconciler: ReminderReconciler,
    private readonly digest: DigestService,
    private readonly reminderQueue: ReminderQueue,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.env.WORKER_CONCURRENCY;
  }

  /** Stops taking jobs and finishes those in hand before the database connections close. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`stopping (${signal ?? 'close'}): taking no new jobs, finishing the ones in hand`);
    await this.worker.close();
    this.logger.log('stopped: no reminder job in hand');
  }

  /** Sends what is due for the job's subjects, then schedules each one's next wake-up. */
  private async check(job: JobOf<'check'>): Promise<{ sent: number }> {
    const moment = wakeUpMoment(job.id);
    const early = moment ? moment.getTime() - this.clock.now().getTime() : 0;
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(early, MAX_EARLY_MS)));

    const { subjects } = job.data;
    const sent = await this.delivery.deliverDue(subjects);
    this.logSent(sent);
    if (moment) {
      // A wake-up whose subject owed nothing after all: it was moved, done, or its person left.
      const reached = new Set(sent.map((n) => n.subjectId));
      for (const subject of subjects.filter((s) => !reached.has(s.id))) {
        this.logger.log(
          `dropped subject=${subject.type}/${subject.id} moment=${moment.toISOString()} reason=no-longer-due`,
        );
      }
    }
    await this.reminderQueue.deliverWebhooks(sent.map((n) => n.id));
    await this.reminderQueue.wakeUpAt(await this.delivery.upcomingWakeUps(subjects), this.clock.now());
    return { sent: sent.length };
  }

  /** One line per reminder, key=value, so an operator can grep by kind, subject or person. */
  private logSent(sent: SentNotification[]): void {
    for (const n of sent) {
      this.logger.log(
        `sent kind=${n.kind} subject=${n.subjectType}/${n.subjectId} recipient=${n.recipientId} notification=${n.id}`,
      );
    }
  }
}
