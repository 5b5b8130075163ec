import { Injectable } from '@nestjs/common';
import { Environment } from '@keydesk/config';
import { InjectRedis } from '@keydesk/queue';
import type Redis from 'ioredis';

/** What a login attempt may do: be refused for `retryAfter` seconds, or go ahead after `delayMs`. */
export type LoginAttempt =
  | { refused: true; retryAfter: number }
  | { refused: false; delayMs: number; release: (outcome: 'success' | 'error') => Promise<void> };

/**
 * Takes a login attempt's place before its password is checked, atomically, so that guesses sent
 * at once are counted as they arrive, not as their slow hashes finish. Every attempt counts as a
 * failure until it is known to be right (then it is given back).
 *
 * KEYS: pair (user name on this address), address, name (user name, all addresses), next (the
 *       name's next check, ms), pairs (the addresses that hold a pair key for the name)
 * ARGV: max per pair, max per address, window seconds, address, max delay ms
 * Returns {retryAfter, delayMs}.
 */
const RESERVE = `
local pair = tonumber(redis.call('GET', KEYS[1]) or '0')
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
local wait = 0
if pair >= tonumber(ARGV[1]) then wait = math.max(wait, redis.call('TTL', KEYS[1])) end
if address >= tonumber(ARGV[2]) then wait = math.max(wait, redis.call('TTL', KEYS[2])) end
if wait > 0 then return {wait, 0} end
local window = tonumber(ARGV[3])
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], window, 'NX')
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], window, 'NX')
redis.call('SADD', KEYS[5], ARGV[4])
redis.call('EXPIRE', KEYS[5], window)
local failures = redis.call('INCR', KEYS[3]) - 1
redis.call('EXPIRE', KEYS[3], window, 'NX')
local over = failures - tonumber(ARGV[1])
if over < 0 then return {0, 0} end
local maxDelay = tonumber(ARGV[5])
local step = math.min(1000 * math.pow(2, math.min(over, 30)), maxDelay)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[4]) or '0')) + step
slot = math.min(slot, now + maxDelay)
redis.call('SET', KEYS[4], slot, 'PX', window * 1000)
return {0, slot - now}
`;

/** Gives back an attempt's place on an address (only while it is still counted). */
const GIVE_BACK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

/** Clears a user name: its count, its slow-down and its block on every address. */
const CLEAR_NAME = `
local addresses = redis.call('SMEMBERS', KEYS[3])
for _, address in ipairs(addresses) do redis.call('DEL', ARGV[1] .. address) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return #addresses
`;

/**
 * Limits failed logins in Redis (shared by every API replica), over a fixed window that starts
 * at the first failure:
 *
 * - per user name and address: `LOGIN_MAX_FAILURES_PER_USER` failures, then 429 with Retry-After;
 * - per address: `LOGIN_MAX_FAILURES_PER_ADDRESS` failures (failures only: colleagues behind one
 *   office address log in freely however many of them there are), then 429 for every name;
 * - per user name across addresses: no refusal, but past `LOGIN_MAX_FAILURES_PER_USER` failures
 *   each further password check of that name waits its turn, the turns spaced 1 s, 2 s, 4 s, …
 *   apart, no one waiting longer than `LOGIN_SLOWDOWN_MAX_SECONDS`. Someone guessing from many
 *   addresses is slowed down; nobody can lock a user out, and the right password from an address
 *   that has not failed gets in.
 *
 * A successful login clears its user name's count and slow-down and its own address's block on
 * that name; a password reset clears the name on every address. Changing one's own password
 * checks the current one through the same attempt: a wrong one is a failed login of that name.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly env: Environment,
  ) {}

  async attempt(username: string, address: string): Promise<LoginAttempt> {
    const keys = this.keys(username, address);
    const [retryAfter, delayMs] = (await this.redis.eval(
      RESERVE,
      5,
      keys.pair,
      keys.address,
      keys.name,
      keys.next,
      keys.pairs,
      this.env.LOGIN_MAX_FAILURES_PER_USER,
      this.env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      this.env.LOGIN_FAILURE_WINDOW_SECONDS,
      address,
      this.env.LOGIN_SLOWDOWN_MAX_SECONDS * 1000,
    )) as [number, number];
    if (retryAfter > 0) return { refused: true, retryAfter };
    return {
      refused: false,
      delayMs,
      release: async (outcome) => {
        // Neither a right password nor a fault of ours is a failure.
        await this.redis.eval(GIVE_BACK, 1, keys.address);
        if (outcome === 'success') {
          await this.redis.del(keys.pair, keys.name, keys.next);
        } else {
          await this.redis.eval(GIVE_BACK, 1, keys.pair);
          await this.redis.eval(GIVE_BACK, 1, keys.name);
        }
      },
    };
  }

  /** A new password: the user name's failures, slow-down and blocks on every address are gone. */
  async clear(username: string): Promise<void> {
    const keys = this.keys(username, '');
    await this.redis.eval(CLEAR_NAME, 3, keys.name, keys.next, keys.pairs, keys.pairPrefix);
  }

  private keys(username: string, address: string) {
    const prefix = `${this.env.QUEUE_PREFIX}:login-failures`;
    const name = encodeURIComponent(username.toLowerCase());
    const pairPrefix = `${prefix}:user-address:${name}:`;
    return {
      pairPrefix,
      pair: `${pairPrefix}${address}`,
      address: `${prefix}:address:${address}`,
      name: `${prefix}:user:${name}`,
      next: `${prefix}:user-next:${name}`,
      pairs: `${prefix}:user-addresses:${name}`,
    };
  }
}
