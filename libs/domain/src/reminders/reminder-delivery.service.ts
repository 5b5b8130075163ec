import { Injectable } from '@nestjs/common';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import type { ReminderOffsets } from '@keydesk/database';
import type { SubjectRef } from '@keydesk/queue';
import { NotificationsRepository, SentNotification } from '../repositories/notifications.repository';
import { RemindersRepository } from '../repositories/reminders.repository';
import { DueReminderRow, REMINDER_RULES } from '../rules/reminder-rules';
import { SettingsService } from '../settings/settings.service';
import { TransactionContext } from '../transactions/transaction-context';
import { reminderMessage } from './reminder-messages';

export interface WakeUp {
  subject: SubjectRef;
  fireAt: Date;
}

const ESCALATION_BY_KIND = new Map(
  REMINDER_RULES.filter((rule) => rule.escalationLevel).map((rule) => [rule.kind, rule.escalationLevel!]),
);

/**
 * Turns what PostgreSQL says is due into inbox notifications. Every call re-reads the current
 * state, so a reminder that no longer applies (visit logged, problem resolved, due date moved,
 * enterprise archived) is simply not found, and one whose person changed goes to the new one.
 */
@Injectable()
export class ReminderDeliveryService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly reminders: RemindersRepository,
    private readonly notifications: NotificationsRepository,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  /** Sends what is due now for these subjects; returns what was sent (nothing twice, ever). */
  async deliverDue(subjects: SubjectRef[]): Promise<SentNotification[]> {
    if (subjects.length === 0) return [];
    return this.tx.run(async () => {
      const now = this.clock.now();
      const rows = await this.reminders.dueFor(subjects, await this.offsets(), now);
      // One order for every writer, so two workers inserting overlapping keys wait, never deadlock.
      rows.sort(byDedupKey);
      const sent = await this.notifications.insert(
        rows.map((row) => ({ ...row, ...reminderMessage(row, now) })),
        now,
        this.env.WEBHOOK_URL ? 'pending' : null,
      );
      await this.reminders.raiseEscalation(escalationLevels(sent), now);
      return sent;
    });
  }

  /** Every subject with a reminder due and not yet sent: the reconciler's sweep. */
  async dueSubjects(): Promise<SubjectRef[]> {
    return this.reminders.dueSubjects(await this.offsets(), this.clock.now());
  }

  /** Each subject's next moment within the wake-up horizon (all subjects when none are given). */
  async upcomingWakeUps(subjects: SubjectRef[] | 'all'): Promise<WakeUp[]> {
    const now = this.clock.now();
    const rows = await this.reminders.upcomingWakeUps(subjects, await this.offsets(), now, this.horizon(now));
    return rows.map((row) => ({ subject: { type: row.type, id: row.id }, fireAt: row.fireAt }));
  }

  /**
   * Redis holds only the wake-ups due before the reconciler has run twice more; anything later
   * stays in PostgreSQL until a sweep brings it within reach. Memory stays small at any size.
   */
  horizon(now: Date): Date {
    return new Date(now.getTime() + 2 * this.env.RECONCILE_INTERVAL_SECONDS * 1000);
  }

  private async offsets(): Promise<ReminderOffsets> {
    return (await this.settings.current()).reminderOffsets;
  }
}

/** A problem's escalation level follows what was sent: 1 with "overdue", 2 with "escalated". */
function escalationLevels(sent: SentNotification[]): Map<string, number> {
  const levels = new Map<string, number>();
  for (const notification of sent) {
    const level = ESCALATION_BY_KIND.get(notification.kind as DueReminderRow['kind']);
    if (level) levels.set(notification.subjectId, Math.max(level, levels.get(notification.subjectId) ?? 0));
  }
  return levels;
}

function byDedupKey(a: DueReminderRow, b: DueReminderRow): number {
  return (
    a.kind.localeCompare(b.kind) ||
    a.subjectId.localeCompare(b.subjectId) ||
    a.recipientId.localeCompare(b.recipientId) ||
    a.dueMoment.getTime() - b.dueMoment.getTime()
  );
}
