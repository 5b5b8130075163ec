import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { KeydeskConfigModule } from '@keydesk/config';
import { DatabaseModule } from '@keydesk/database';
import { QUEUE, QueueModule } from '@keydesk/queue';

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

/** The worker: the domain without the HTTP edge. Reminder processors join it with the reminders. */
@Module({
  imports: [KeydeskConfigModule, DatabaseModule, QueueModule],
  providers: [ConnectionCheck],
})
export class WorkerModule {}
