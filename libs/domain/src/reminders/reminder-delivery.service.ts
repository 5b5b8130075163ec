import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import type { SubjectRef } from '@keydesk/queue';
import { SettingsService } from '../settings/settings.service';
import { insertNotifications, SentNotification } from './notification-writer';
import { reminderMessage } from './reminder-messages';
import { DueReminderRow, dueRemindersSql, REMINDER_RULES, subjectParams, upcomingWakeUpsSql } from './reminder-rules';
import type { ReminderOffsets } from '@keydesk/database';

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
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  /** Sends what is due now for these subjects; returns what was sent (nothing twice, ever). */
  async deliverDue(subjects: SubjectRef[]): Promise<SentNotification[]> {
    if (subjects.length === 0) return [];
    const [enterpriseIds, problemIds] = subjectParams(subjects);
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const offsets = await this.offsets(manager);
      const rows: DueReminderRow[] = await manager.query(dueRemindersSql(offsets, false), [
        now,
        enterpriseIds,
        problemIds,
      ]);
      // One order for every writer, so two workers inserting overlapping keys wait, never deadlock.
      rows.sort(byDedupKey);
      const sent = await insertNotifications(
        manager,
        rows.map((row) => ({ ...row, ...reminderMessage(row, now) })),
        now,
        this.env.WEBHOOK_URL ? 'pending' : null,
      );
      await this.escalate(manager, sent, now);
      return sent;
    });
  }

  /** Every subject with a reminder due and not yet sent: the reconciler's sweep. */
  async dueSubjects(): Promise<SubjectRef[]> {
    const offsets = await this.offsets(this.db.manager);
    return this.db.query(
      `SELECT DISTINCT "subjectType" AS type, "subjectId" AS id FROM (${dueRemindersSql(offsets, true)}) due`,
      [this.clock.now()],
    );
  }

  /** Each subject's next moment within the wake-up horizon (all subjects when none are given). */
  async upcomingWakeUps(subjects: SubjectRef[] | 'all'): Promise<WakeUp[]> {
    const now = this.clock.now();
    const offsets = await this.offsets(this.db.manager);
    const all = subjects === 'all';
    const params: unknown[] = [now, this.horizon(now)];
    if (!all) params.push(...subjectParams(subjects));
    const rows: { type: SubjectRef['type']; id: string; fireAt: Date }[] = await this.db.query(
      upcomingWakeUpsSql(offsets, all),
      params,
    );
    return rows.map((row) => ({ subject: { type: row.type, id: row.id }, fireAt: row.fireAt }));
  }

  /**
   * Redis holds only the wake-ups due before the reconciler has run twice more; anything later
   * stays in PostgreSQL until a sweep brings it within reach. Memory stays small at any size.
   */
  horizon(now: Date): Date {
    return new Date(now.getTime() + 2 * this.env.RECONCILE_INTERVAL_SECONDS * 1000);
  }

  private async offsets(manager: EntityManager): Promise<ReminderOffsets> {
    return (await this.settings.current(manager)).reminderOffsets;
  }

  /** A problem's escalation level follows what was sent: 1 with "overdue", 2 with "escalated". */
  private async escalate(manager: EntityManager, sent: SentNotification[], now: Date): Promise<void> {
    const levels = new Map<string, number>();
    for (const notification of sent) {
      const level = ESCALATION_BY_KIND.get(notification.kind as DueReminderRow['kind']);
      if (level) levels.set(notification.subjectId, Math.max(level, levels.get(notification.subjectId) ?? 0));
    }
    if (levels.size === 0) return;
    const ids = [...levels.keys()].sort();
    const raised: { id: string; level: number }[] = await manager.query(
      `WITH raised AS (
         UPDATE problems p SET escalation_level = x.level
           FROM unnest($1::uuid[], $2::smallint[]) AS x(id, level)
          WHERE p.id = x.id AND p.escalation_level < x.level
         RETURNING p.id, x.level)
       SELECT id, level FROM raised`,
      [ids, ids.map((id) => levels.get(id))],
    );
    if (raised.length === 0) return;
    await manager.query(
      `INSERT INTO problem_events (problem_id, type, data, at)
       SELECT r.id, 'escalated', jsonb_build_object('level', r.level), $3
         FROM unnest($1::uuid[], $2::int[]) AS r(id, level)`,
      [raised.map((r) => r.id), raised.map((r) => r.level), now],
    );
  }
}

function byDedupKey(a: DueReminderRow, b: DueReminderRow): number {
  return (
    a.kind.localeCompare(b.kind) ||
    a.subjectId.localeCompare(b.subjectId) ||
    a.recipientId.localeCompare(b.recipientId) ||
    a.dueMoment.getTime() - b.dueMoment.getTime()
  );
}
