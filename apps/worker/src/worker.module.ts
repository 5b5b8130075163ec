import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { KeydeskConfigModule } from '@keydesk/config';
import { DomainModule } from '@keydesk/domain';
import { QUEUE } from '@keydesk/queue';
import { ReminderProcessor } from './reminders/reminder.processor';
import { ReminderSchedules } from './reminders/reminder-schedules';
import { RollupCompaction } from './rollups/rollup-compaction';
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

/** The worker: the domain without the HTTP edge, running the reminder and webhook queues and the rollups' upkeep. */
@Module({
  imports: [KeydeskConfigModule, DomainModule],
  providers: [ConnectionCheck, ReminderProcessor, WebhookProcessor, ReminderSchedules, RollupCompaction],
})
export class WorkerModule {}
