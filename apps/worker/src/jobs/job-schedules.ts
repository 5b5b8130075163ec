import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Environment } from '@keydesk/config';
import { DIGEST_CRON, DIGEST_TIME_ZONE } from '@keydesk/domain';
import {
  IMPORT_JOB,
  MAINTENANCE_JOB,
  QUEUE,
  REMINDER_JOB,
  REMINDER_JOB_OPTIONS,
  ReminderQueue,
  SCHEDULER,
} from '@keydesk/queue';

/** How often a worker makes sure the job schedulers still exist (Redis may have lost them). */
const SCHEDULER_CHECK_MAX_MS = 60 * 1000;

/** How often the rollups' deltas are folded: a minute of writes is a few thousand rows at most. */
export const COMPACT_ROLLUPS_EVERY_MS = 60 * 1000;

/** How often imports whose job was lost are failed (and old imports' files dropped). */
export const IMPORT_HOUSEKEEPING_EVERY_MS = 60 * 1000;

/**
 * The one place the repeating jobs are registered: the reconciler every
 * RECONCILE_INTERVAL_SECONDS, the digest at 08:30 Beijing time, the rollup compaction and the
 * imports' housekeeping every minute. Scheduler ids are fixed, so any number of workers
 * registering them leaves one of each.
 * A sweep runs at every start.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('reminders');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QUEUE.reminders) private readonly reminders: Queue,
    @InjectQueue(QUEUE.maintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUE.imports) private readonly imports: Queue,
    private readonly queue: ReminderQueue,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureSchedulers();
    await this.queue.reconcileNow();
    const every = Math.min(this.env.RECONCILE_INTERVAL_SECONDS * 1000, SCHEDULER_CHECK_MAX_MS);
    this.timer = setInterval(() => {
      this.ensureSchedulers().catch((error: Error) => this.logger.warn(`scheduler check failed: ${error.message}`));
    }, every);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Registers a scheduler only when it is missing or its timing changed, so its rhythm is kept. */
  async ensureSchedulers(): Promise<void> {
    const every = this.env.RECONCILE_INTERVAL_SECONDS * 1000;
    const reconcile = await this.reminders.getJobScheduler(SCHEDULER.reconcile);
    if (!reconcile || Number(reconcile.every) !== every) {
      await this.reminders.upsertJobScheduler(
        SCHEDULER.reconcile,
        { every },
        { name: REMINDER_JOB.reconcile, opts: REMINDER_JOB_OPTIONS },
      );
      this.logger.log(`registered scheduler=${SCHEDULER.reconcile} every=${every}ms`);
    }
    const digest = await this.reminders.getJobScheduler(SCHEDULER.digest);
    if (!digest || digest.pattern !== DIGEST_CRON || digest.tz !== DIGEST_TIME_ZONE) {
      await this.reminders.upsertJobScheduler(
        SCHEDULER.digest,
        { pattern: DIGEST_CRON, tz: DIGEST_TIME_ZONE },
        { name: REMINDER_JOB.digest, opts: REMINDER_JOB_OPTIONS },
      );
      this.logger.log(`registered scheduler=${SCHEDULER.digest} pattern="${DIGEST_CRON}" tz=${DIGEST_TIME_ZONE}`);
    }
    const compaction = await this.maintenance.getJobScheduler(SCHEDULER.compactRollups);
    if (!compaction || Number(compaction.every) !== COMPACT_ROLLUPS_EVERY_MS) {
      await this.maintenance.upsertJobScheduler(
        SCHEDULER.compactRollups,
        { every: COMPACT_ROLLUPS_EVERY_MS },
        { name: MAINTENANCE_JOB.compactRollups, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
      );
      this.logger.log(`registered scheduler=${SCHEDULER.compactRollups} every=${COMPACT_ROLLUPS_EVERY_MS}ms`);
    }
    const housekeeping = await this.imports.getJobScheduler(SCHEDULER.importHousekeeping);
    if (!housekeeping || Number(housekeeping.every) !== IMPORT_HOUSEKEEPING_EVERY_MS) {
      await this.imports.upsertJobScheduler(
        SCHEDULER.importHousekeeping,
        { every: IMPORT_HOUSEKEEPING_EVERY_MS },
        { name: IMPORT_JOB.housekeeping, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
      );
      this.logger.log(`registered scheduler=${SCHEDULER.importHousekeeping} every=${IMPORT_HOUSEKEEPING_EVERY_MS}ms`);
    }
  }
}
