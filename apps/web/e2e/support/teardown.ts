import { Redis } from 'ioredis';
import pg from 'pg';
import { browserRun } from '../../playwright.config';

/** Drops the run's database and its Redis keys once the API and the worker have stopped. */
export default async function teardown(): Promise<void> {
  const database = new URL(browserRun.database);
  const name = database.pathname.slice(1);
  database.pathname = '/postgres';
  const client = new pg.Client({ connectionString: database.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(browserRun.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${browserRun.queuePrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
