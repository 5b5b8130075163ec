import Redis, { RedisOptions } from 'ioredis';

/**
 * Options for every Redis connection keydesk opens. `maxRetriesPerRequest: null` is what
 * BullMQ workers need; the API's own client fails fast instead (see `createRedisClient`).
 */
export function redisOptions(redisUrl: string, forWorker: boolean): RedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: forWorker ? null : 2,
    enableOfflineQueue: forWorker,
    lazyConnect: !forWorker,
  };
}

export function createRedisClient(redisUrl: string): Redis {
  return new Redis(redisOptions(redisUrl, false));
}
