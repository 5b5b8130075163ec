import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Environment } from '@keydesk/config';
import { QUEUE } from './queues';
import { redisOptions } from './redis';
import { ImportQueue } from './import-queue';
import { ReminderQueue } from './reminder-queue';

/** BullMQ on the deployment's Redis, under QUEUE_PREFIX so that deployments and test runs share one server safely. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        // ioredis options, which BullMQ passes to the ioredis it loads; its own option type is narrower.
        connection: redisOptions(env.REDIS_URL, true) as ConnectionOptions,
        prefix: env.QUEUE_PREFIX,
        // Finished jobs are trimmed; failed ones are kept a week with their error, for the operator.
        defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 24 * 3600, count: 5000 } },
      }),
    }),
    BullModule.registerQueue({ name: QUEUE.reminders }, { name: QUEUE.webhooks }, { name: QUEUE.imports }),
  ],
  providers: [ReminderQueue, ImportQueue],
  exports: [BullModule, ReminderQueue, ImportQueue],
})
export class QueueModule {}
