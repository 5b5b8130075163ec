import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Environment } from '@keydesk/config';
import { QUEUE } from './queues';
import { redisOptions } from './redis';

/** BullMQ on the deployment's Redis, under QUEUE_PREFIX so that deployments and test runs share one server safely. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        // ioredis options, which BullMQ passes to the ioredis it loads; its own option type is narrower.
        connection: redisOptions(env.REDIS_URL, true) as ConnectionOptions,
        prefix: env.QUEUE_PREFIX,
        defaultJobOptions: { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
      }),
    }),
    BullModule.registerQueue({ name: QUEUE.reminders }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
