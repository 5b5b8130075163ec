import { Injectable } from '@nestjs/common';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { NotificationsRepository, SentNotification } from '../repositories/notifications.repository';
import { RemindersRepository } from '../repositories/reminders.repository';
import { beijingDay, digestMomentOf } from '../rules/reminder-rules';
import { SettingsService } from '../settings/settings.service';
import { TransactionContext } from '../transactions/transaction-context';
import { DigestLine, digestMessage } from './reminder-messages';

/**
 * The 08:30 digest: one message per person with something pending, once per Beijing day. What
 * is pending, by category, follows the reminder rules (`digestItemsSql`): commissioners their own
 * enterprises and problems, supervisors what is in their districts, admins what has escalated to them.
 */
@Injectable()
export class DigestService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly reminders: RemindersRepository,
    private readonly notifications: NotificationsRepository,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  /**
   * Sends today's digest if it is 08:30 or later and today's has not gone out. The day is
   * claimed in the same transaction as the messages, so two workers (or a late scheduler run
   * and the reconciler) send it once.
   */
  async run(): Promise<SentNotification[]> {
    const now = this.clock.now();
    const moment = digestMomentOf(now);
    if (now < moment) return [];
    return this.tx.run(async () => {
      if (!(await this.reminders.claimDigestDay(beijingDay(moment), now))) return [];
      const offsets = (await this.settings.current()).reminderOffsets;
      const byRecipient = new Map<string, DigestLine[]>();
      for (const { recipientId, ...line } of await this.reminders.digestItems(offsets, now)) {
        const lines = byRecipient.get(recipientId);
        if (lines) lines.push(line);
        else byRecipient.set(recipientId, [line]);
      }
      return this.notifications.insert(
        [...byRecipient].map(([recipientId, lines]) => ({
          recipientId,
          kind: 'digest',
          subjectType: 'user',
          subjectId: recipientId,
          dueMoment: moment,
          ...digestMessage(moment, lines, now),
        })),
        now,
        this.env.WEBHOOK_URL ? 'pending' : null,
      );
    });
  }

  /** Whether today's digest is due and has not gone out (the reconciler's question). */
  async isOutstanding(): Promise<boolean> {
    const now = this.clock.now();
    const moment = digestMomentOf(now);
    if (now < moment) return false;
    return !(await this.reminders.digestDayClaimed(beijingDay(moment)));
  }
}
