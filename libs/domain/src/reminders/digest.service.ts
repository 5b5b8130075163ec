import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { SettingsService } from '../settings/settings.service';
import { insertNotifications, SentNotification } from './notification-writer';
import { DigestLine, digestMessage } from './reminder-messages';

/** The digest goes out at 08:30 Beijing time every day (SPEC); China keeps no daylight saving. */
export const DIGEST_CRON = '30 8 * * *';
export const DIGEST_TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DIGEST_MINUTES = 8 * 60 + 30;

/** 08:30 Beijing time on the Beijing calendar day that holds `now`. */
export function digestMomentOf(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(midnightLocal - SHANGHAI_OFFSET_MS + DIGEST_MINUTES * 60 * 1000);
}

/** `2026-11-27`: the Beijing calendar day of a moment. */
export function beijingDay(moment: Date): string {
  return new Date(moment.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * What each person has pending, by category, with the first few by name. The categories follow
 * the roles: commissioners their own enterprises and problems, supervisors what is in their
 * districts, admins what has escalated to them.
 */
const PENDING_SQL = `
  WITH scope AS (
    SELECT u.id AS recipient_id, e.id AS enterprise_id
      FROM users u JOIN enterprises e
        ON e.status = 'active' AND (cardinality(u.district_codes) = 0 OR e.district_code = ANY(u.district_codes))
     WHERE u.role = 'supervisor' AND u.active),
  open_problems AS (
    SELECT p.id, p.title, p.due_at, p.assignee_id, p.enterprise_id
      FROM problems p JOIN enterprises e ON e.id = p.enterprise_id AND e.status = 'active'
     WHERE p.status IN ('open', 'in_progress')),
  items AS (
    SELECT e.commissioner_id AS recipient_id, 'visit_overdue' AS category, e.name AS label, e.next_visit_due_at AS at
      FROM enterprises e WHERE e.status = 'active' AND e.next_visit_due_at < $1
    UNION ALL
    SELECT p.assignee_id, 'problem_overdue', p.title, p.due_at FROM open_problems p WHERE p.due_at < $1
    UNION ALL
    SELECT p.assignee_id, 'problem_due_soon', p.title, p.due_at FROM open_problems p
     WHERE p.due_at >= $1 AND p.due_at < $1::timestamptz + make_interval(hours => $2)
    UNION ALL
    SELECT e.commissioner_id, 'demand_stale', e.name, d.last_update
      FROM (SELECT enterprise_id, max(updated_at) AS last_update FROM demands WHERE status = 'open' GROUP BY enterprise_id) d
      JOIN enterprises e ON e.id = d.enterprise_id AND e.status = 'active'
     WHERE d.last_update <= $1::timestamptz - make_interval(days => $3)
    UNION ALL
    SELECT s.recipient_id, 'visit_overdue', e.name, e.next_visit_due_at
      FROM scope s JOIN enterprises e ON e.id = s.enterprise_id WHERE e.next_visit_due_at < $1
    UNION ALL
    SELECT s.recipient_id, 'problem_overdue', p.title, p.due_at
      FROM scope s JOIN open_problems p ON p.enterprise_id = s.enterprise_id WHERE p.due_at < $1
    UNION ALL
    SELECT s.recipient_id, 'awaiting_review', p.title, p.resolved_at
      FROM scope s JOIN problems p ON p.enterprise_id = s.enterprise_id AND p.status = 'resolved'
    UNION ALL
    SELECT u.id, 'problem_escalated', p.title, p.due_at
      FROM open_problems p JOIN users u ON u.role = 'admin' AND u.active
     WHERE p.due_at <= $1::timestamptz - make_interval(days => $4))
  SELECT i.recipient_id AS "recipientId", i.category, count(*)::int AS count,
         (array_agg(i.label ORDER BY i.at, i.label))[1:3] AS examples
    FROM items i JOIN users u ON u.id = i.recipient_id AND u.active
   GROUP BY i.recipient_id, i.category`;

/** The 08:30 digest: one message per person with something pending, once per Beijing day. */
@Injectable()
export class DigestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    return this.db.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO reminder_runs (name, day, completed_at) VALUES ('digest', $1, $2)
         ON CONFLICT DO NOTHING RETURNING day`,
        [beijingDay(moment), now],
      );
      if (claimed.length === 0) return [];
      const offsets = (await this.settings.current(manager)).reminderOffsets;
      const pending: ({ recipientId: string } & DigestLine)[] = await manager.query(PENDING_SQL, [
        now,
        offsets.problemDueSoonHours,
        offsets.demandStaleDays,
        offsets.problemLongOverdueDays,
      ]);
      const byRecipient = new Map<string, DigestLine[]>();
      for (const { recipientId, ...line } of pending) {
        const lines = byRecipient.get(recipientId);
        if (lines) lines.push(line);
        else byRecipient.set(recipientId, [line]);
      }
      return insertNotifications(
        manager,
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
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM reminder_runs WHERE name = 'digest' AND day = $1`, [
      beijingDay(moment),
    ]);
    return rows.length === 0;
  }
}
