import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { ReminderQueue } from '@keydesk/queue';
import { NotificationsRepository } from '../repositories/notifications.repository';
import { DigestService } from './digest.service';
import { ReminderDeliveryService } from './reminder-delivery.service';

/** Webhook deliveries older than this and still pending are assumed lost from Redis and enqueued again. */
const WEBHOOK_GRACE_MS = 60 * 1000;
const WEBHOOK_BATCH = 5000;

export interface ReconcileReport {
  dueSubjects: number;
  wakeUps: number;
  webhooks: number;
  digest: boolean;
}

/**
 * The safety net that makes PostgreSQL, not Redis, the truth: on every run it enqueues checks of
 * everything due and not yet notified, the wake-ups coming up before the next runs, pending
 * webhook deliveries, and today's digest if it has not gone out. After Redis lost its keys,
 * a worker crashed or an enqueue failed, one run puts everything back; running it twice (or
 * on two workers at once) only repeats work that is deduplicated anyway.
 */
@Injectable()
export class ReminderReconciler {
  private readonly logger = new Logger('reminders');

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly delivery: ReminderDeliveryService,
    private readonly digest: DigestService,
    private readonly queue: ReminderQueue,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  async run(): Promise<ReconcileReport> {
    // The wake-ups first: a quick, horizon-bound query, so nothing coming up waits on the sweep.
    const wakeUps = await this.delivery.upcomingWakeUps('all');
    await this.queue.wakeUpAt(wakeUps, this.clock.now());
    const due = await this.delivery.dueSubjects();
    await this.queue.checkNow(due);
    const webhooks = await this.pendingWebhooks();
    await this.queue.deliverWebhooks(webhooks);
    const digestOutstanding = await this.digest.isOutstanding();
    if (digestOutstanding) await this.queue.digestNow();
    const report = {
      dueSubjects: due.length,
      wakeUps: wakeUps.length,
      webhooks: webhooks.length,
      digest: digestOutstanding,
    };
    this.logger.log(
      `reconciled due_subjects=${report.dueSubjects} wake_ups=${report.wakeUps} webhooks=${report.webhooks} digest=${report.digest}`,
    );
    return report;
  }

  private async pendingWebhooks(): Promise<string[]> {
    if (!this.env.WEBHOOK_URL) return [];
    return this.notifications.pendingWebhookIds(new Date(this.clock.now().getTime() - WEBHOOK_GRACE_MS), WEBHOOK_BATCH);
  }
}
