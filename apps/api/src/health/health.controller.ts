import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { InjectRedis, ReminderQueue } from '@keydesk/queue';
import { Public } from '../auth/auth.guard';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectRedis() private readonly redis: Redis,
    private readonly queues: ReminderQueue,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'PostgreSQL and Redis reachable: 200, else 503',
    description: 'Also shows the reminder and webhook queues: jobs waiting, delayed, active and failed.',
  })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('postgres', { timeout: 2000 }),
        () =>
          this.indicators
            .check('redis')
            .attempt(async () => {
              await this.redis.ping();
            })
            .withTimeout(2000),
        async () => {
          // Information for the operator, not a verdict: a backlog or failed jobs do not make the API unhealthy.
          const counts = (queue: typeof this.queues.reminders) =>
            queue.getJobCounts('waiting', 'delayed', 'active', 'failed');
          try {
            const [reminders, webhooks] = await Promise.race([
              Promise.all([counts(this.queues.reminders), counts(this.queues.webhooks)]),
              new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
            ]);
            return this.indicators.check('queues').up({ reminders, webhooks });
          } catch {
            return this.indicators.check('queues').up({ reminders: 'unavailable', webhooks: 'unavailable' });
          }
        },
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // The terminus report (which dependency is down) is the useful answer here, not a problem detail.
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
