import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '@keydesk/common';
import { AppModule } from '../../apps/api/src/app.module';
import { setupApp } from '../../apps/api/src/setup-app';
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, templateDatabase, workerDatabase, workerQueuePrefix } from './test-env';

/** A fresh database for this worker, cloned from the migrated template (fast, and isolated per suite). */
export async function resetWorkerDatabase(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${workerDatabase()}" WITH (FORCE)`);
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${workerDatabase()}" TEMPLATE "${templateDatabase()}"`);
        return;
      } catch (error) {
        // Another worker cloning the template at the same moment holds it briefly.
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
}

export async function clearWorkerRedisKeys(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${workerQueuePrefix()}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  db: DataSource;
  close: () => Promise<void>;
}

/**
 * The real API (same setup as main.ts) on this worker's own database and Redis prefix; with
 * `clock`, the API's "now" is the test's.
 */
export async function createTestApp(options: { clock?: Clock } = {}): Promise<TestApp> {
  await resetWorkerDatabase();
  await clearWorkerRedisKeys();
  const builder = Test.createTestingModule({ imports: [AppModule] });
  if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  setupApp(app);
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    db: app.get(DataSource),
    close: () => app.close(),
  };
}
