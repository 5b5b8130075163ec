import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { InjectRedis, ReminderQueue } from '@keydesk/queue';
import { Public } from '../auth/auth.guard';

const CHECK_TIMEOUT_MS = 2000;

type Dependency = { status: 'up' } | { status: 'down'; message: string };
type QueueCounts = Record<string, number> | 'unavailable';

/** The answer's shape (also terminus's, which it replaced): what is up, what is down, and both together. */
export interface HealthReport {
  status: 'ok' | 'error';
  info: Record<string, unknown>;
  error: Record<string, unknown>;
  details: Record<string, unknown>;
}

/**
 * The operator's health check and the load balancer's. It is asked often, so it is the two
 * round trips it needs and nothing more (terminus around the same checks cost about a sixth
 * more CPU per request).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly queues: ReminderQueue,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'PostgreSQL and Redis reachable: 200, else 503',
    description: 'Also shows the reminder and webhook queues: jobs waiting, delayed, active and failed.',
  })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [postgres, redis, queues] = await Promise.all([
      dependency(this.database.query('SELECT 1')),
      dependency(this.redis.ping()),
      this.queueCounts(),
    ]);
    const checks: Record<string, Dependency> = { postgres, redis };
    const up = Object.entries(checks).filter(([, check]) => check.status === 'up');
    const down = Object.entries(checks).filter(([, check]) => check.status === 'down');
    // Information for the operator, not a verdict: a backlog or failed jobs do not make the API unhealthy.
    const queueReport = { status: 'up', ...queues };
    if (down.length > 0) response.status(503);
    return {
      status: down.length > 0 ? 'error' : 'ok',
      info: { ...Object.fromEntries(up), queues: queueReport },
      error: Object.fromEntries(down),
      details: { ...checks, queues: queueReport },
    };
  }

  private async queueCounts(): Promise<{ reminders: QueueCounts; webhooks: QueueCounts }> {
    // Waiting counts every job ready to run, whatever its priority (a change's check has one).
    const counts = async (queue: typeof this.queues.reminders) => {
      const { waiting, prioritized, ...rest } = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'delayed',
        'active',
        'failed',
      );
      return { waiting: waiting + prioritized, ...rest };
    };
    try {
      const [reminders, webhooks] = await withTimeout(
        Promise.all([counts(this.queues.reminders), counts(this.queues.webhooks)]),
      );
      return { reminders, webhooks };
    } catch {
      return { reminders: 'unavailable', webhooks: 'unavailable' };
    }
  }
}

async function dependency(call: Promise<unknown>): Promise<Dependency> {
  try {
    await withTimeout(call);
    return { status: 'up' };
  } catch (error) {
    // Only the kind of failure leaves the API, never a driver's message (it may name hosts or users).
    return { status: 'down', message: error instanceof TimeoutError ? 'timeout' : 'unreachable' };
  }
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError('timeout')), CHECK_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
