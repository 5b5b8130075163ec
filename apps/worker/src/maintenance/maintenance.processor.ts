import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RollupsRepository } from '@keydesk/domain';
import { JobHandlers, QUEUE } from '@keydesk/queue';
import { JobProcessor } from '../jobs/job-processor';

/**
 * The worker's upkeep, on its own queue so that it never waits behind a backlog of reminders.
 * Compaction runs every minute from a job scheduler (JobSchedules): a minute of writes is a few
 * thousand rollup rows at most. A failed run is simply the next minute's work.
 */
@Processor(QUEUE.maintenance, { autorun: false })
export class MaintenanceProcessor extends JobProcessor<typeof QUEUE.maintenance> implements BeforeApplicationShutdown {
  private readonly logger = new Logger('maintenance');
  readonly queue = QUEUE.maintenance;
  readonly handlers: JobHandlers<typeof QUEUE.maintenance> = {
    'compact-rollups': () => this.rollups.compact(),
  };

  constructor(private readonly rollups: RollupsRepository) {
    super();
  }

  /** A failed run is the next minute's work; the operator still hears of it. */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.warn(`${job?.name ?? 'job'} failed, will run again: ${error.message}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
