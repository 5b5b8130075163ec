import { Injectable } from '@nestjs/common';
import { Environment } from '@keydesk/config';
import { InjectRedis } from '@keydesk/queue';
import type Redis from 'ioredis';

/**
 * Counts failed logins in Redis (shared by every API replica), per user name and per
 * address, over a fixed window. Only failures count: colleagues behind one office address
 * log in freely however many of them there are, and the address limit is set far above what
 * a room of people mistyping reaches, so it only stops someone trying many names.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly env: Environment,
  ) {}

  /** Seconds until the caller may try again, or 0 when not blocked. */
  async retryAfter(username: string, address: string): Promise<number> {
    const [userKey, addressKey] = this.keys(username, address);
    const results = await this.redis.multi().get(userKey).ttl(userKey).get(addressKey).ttl(addressKey).exec();
    const [userCount, userTtl, addressCount, addressTtl] = (results ?? []).map(([, value]) => value) as [
      string | null,
      number,
      string | null,
      number,
    ];
    let wait = 0;
    if (Number(userCount) >= this.env.LOGIN_MAX_FAILURES_PER_USER) wait = Math.max(wait, userTtl);
    if (Number(addressCount) >= this.env.LOGIN_MAX_FAILURES_PER_ADDRESS) wait = Math.max(wait, addressTtl);
    return wait > 0 ? wait : 0;
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const window = this.env.LOGIN_FAILURE_WINDOW_SECONDS;
    const transaction = this.redis.multi();
    for (const key of this.keys(username, address)) {
      // NX: the window starts at the first failure and is not pushed back by later ones.
      transaction.incr(key).expire(key, window, 'NX');
    }
    await transaction.exec();
  }

  /** A successful login clears its user name's failures (not the address's). */
  async recordSuccess(username: string): Promise<void> {
    await this.redis.del(this.keys(username, '')[0]);
  }

  private keys(username: string, address: string): [string, string] {
    const prefix = `${this.env.QUEUE_PREFIX}:login-failures`;
    return [`${prefix}:user:${username.toLowerCase()}`, `${prefix}:address:${address}`];
  }
}
