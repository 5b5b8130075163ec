import { Processor } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { NotificationsRepository, WebhookNotification } from '@keydesk/domain';
import { JobHandlers, JobOf, QUEUE } from '@keydesk/queue';
import { JobProcessor } from '../jobs/job-processor';
import { webhookSignature } from './webhook-signature';

/** Answers worth another try; any other 4xx means the request itself is refused, and retrying will not help. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

/**
 * Posts each notification to the bureau's messaging bot. A delivery that succeeded is never
 * repeated (the notification records it before the job completes); a failure is retried with
 * exponential backoff by BullMQ and, after the last attempt, marked failed. The inbox never
 * waits for any of this.
 */
@Processor(QUEUE.webhooks, { concurrency: 8, maxStalledCount: 3, autorun: false })
export class WebhookProcessor extends JobProcessor<typeof QUEUE.webhooks> implements BeforeApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  readonly queue = QUEUE.webhooks;
  readonly handlers: JobHandlers<typeof QUEUE.webhooks> = {
    deliver: (job) => this.deliver(job),
  };

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly env: Environment,
    private readonly clock: Clock,
  ) {
    super();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  private async deliver(job: JobOf<'deliver'>): Promise<string> {
    const { notificationId } = job.data;
    const notification = await this.notifications.forWebhook(notificationId);
    if (!notification || notification.webhookState !== 'pending' || !this.env.WEBHOOK_URL) {
      // Delivered (or given up) already: at most one successful delivery per notification.
      return 'skipped';
    }
    const attempt = job.attemptsMade + 1;
    await this.notifications.countWebhookAttempt(notificationId);
    try {
      await this.post(this.env.WEBHOOK_URL, this.env.WEBHOOK_SECRET!, payload(notification));
    } catch (error) {
      const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      if (final) await this.notifications.markWebhookFailed(notificationId);
      this.logger.warn(
        `webhook ${final ? 'failed' : 'will retry'} notification=${notificationId} attempt=${attempt} error="${(error as Error).message}"`,
      );
      throw error;
    }
    await this.notifications.markWebhookDelivered(notificationId, this.clock.now());
    this.logger.log(`webhook delivered notification=${notificationId} attempt=${attempt}`);
    return 'delivered';
  }

  private async post(url: string, secret: string, body: string): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'keydesk-webhook',
          'x-keydesk-timestamp': String(timestamp),
          'x-keydesk-signature': webhookSignature(secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.env.WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`no answer: ${(error as Error).message}`, { cause: error });
    }
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return;
    const message = `receiver answered ${response.status}`;
    if (response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status)) {
      throw new UnrecoverableError(message);
    }
    throw new Error(message);
  }
}

/** The JSON a bot receives: the notification as the inbox shows it, and whom it is for. */
function payload(n: WebhookNotification): string {
  return JSON.stringify({
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    subjectType: n.subjectType,
    subjectId: n.subjectId,
    createdAt: n.createdAt,
    recipient: { id: n.recipientId, username: n.username, displayName: n.displayName, phone: n.phone },
  });
}
