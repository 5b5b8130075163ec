import { getQueueToken } from '@nestjs/bullmq';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUE } from '@keydesk/queue';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { clearWorkerRedisKeys, resetWorkerDatabase } from './support/test-app';

describe('the worker', () => {
  beforeAll(async () => {
    await resetWorkerDatabase();
    await clearWorkerRedisKeys();
  });

  it('boots as an application context connected to PostgreSQL and Redis, and shuts down cleanly', async () => {
    const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    const db = app.get(DataSource);
    try {
      await app.init();
      expect(db.isInitialized).toBe(true);
      expect(await db.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      const queue = app.get<Queue>(getQueueToken(QUEUE.reminders));
      expect(queue.opts.prefix).toBe(process.env.QUEUE_PREFIX);
      // A round trip to Redis under this worker's prefix: the schedulers it registered at start.
      expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(['digest', 'reconcile']);
    } finally {
      await app.close();
    }
    expect(db.isInitialized).toBe(false);
  });
});
