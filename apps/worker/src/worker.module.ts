import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { KeydeskConfigModule } from '@keydesk/config';
import { DomainModule } from '@keydesk/domain';
import { QUEUE } from '@keydesk/queue';
import { jobHandlerProblems } from './jobs/job-processor';
import { JobSchedules } from './jobs/job-schedules';
import { ImportsProcessor } from './imports/imports.processor';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { ReminderProcessor } from './reminders/reminder.processor';
import { WebhookProcessor } from './webhooks/webhook.processor';

/** Fails the start when PostgreSQL or Redis is unreachable, rather than idling half-connected. */
@Injectable()
class ConnectionCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('keydesk-worker');
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QUEUE.reminders) private readonly reminders: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.db.query('SELECT 1');
    await this.reminders.waitUntilReady();
    this.logger.log('connected to PostgreSQL and Redis; waiting for work');
  }
}

/**
 * Starts the processors (each is declared with `autorun: false`) once every job has exactly one
 * handler on the queue its processor listens to (see `jobHandlerProblems`); otherwise the worker
 * refuses to start, before it has taken a single job.
 */
@Injectable()
class JobHandlerCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('keydesk-worker');

  constructor(
    private readonly reminders: ReminderProcessor,
    private readonly webhooks: WebhookProcessor,
    private readonly maintenance: MaintenanceProcessor,
    private readonly imports: ImportsProcessor,
  ) {}

  onApplicationBootstrap(): void {
    const processors = [this.reminders, this.webhooks, this.maintenance, this.imports];
    const problems = jobHandlerProblems(processors);
    for (const processor of processors) {
      if (processor.worker.name !== processor.queue) {
        problems.push(`the processor of ${processor.queue} listens to queue ${processor.worker.name}`);
      }
    }
    if (problems.length > 0) throw new Error(`job handlers do not match the job list: ${problems.join('; ')}`);
    for (const processor of processors) {
      processor.worker.run().catch((error: Error) => this.logger.error(`${processor.queue} stopped: ${error.message}`));
    }
  }
}

/** The worker: the domain without the HTTP edge, running the reminder, webhook, maintenance and import queues. */
@Module({
  imports: [KeydeskConfigModule, DomainModule, BullModule.registerQueue({ name: QUEUE.maintenance })],
  providers: [
    ConnectionCheck,
    JobHandlerCheck,
    ReminderProcessor,
    WebhookProcessor,
    MaintenanceProcessor,
    ImportsProcessor,
    JobSchedules,
  ],
})
export class WorkerModule {}
