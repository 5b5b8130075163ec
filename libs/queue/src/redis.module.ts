import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { Environment } from '@keydesk/config';
import { createRedisClient } from './redis';

export const REDIS = Symbol('REDIS');

/** Closes the shared client last, after everything that uses it has stopped. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The shared ioredis client for small keys (login limits, health); BullMQ opens its own. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [Environment],
      useFactory: async (env: Environment) => {
        const redis = createRedisClient(env.REDIS_URL);
        await redis.connect();
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}

export const InjectRedis = () => Inject(REDIS);
