import { Injectable } from '@nestjs/common';
import type { ReminderOffsets } from '@keydesk/database';
import type { SubjectRef } from '@keydesk/queue';
import type { DigestLine } from '../reminders/reminder-messages';
import {
  DueReminderRow,
  digestItemsSql,
  dueRemindersSql,
  subjectParams,
  upcomingWakeUpsSql,
} from '../rules/reminder-rules';
import { TransactionContext } from '../transactions/transaction-context';

/** The reminder engine's SQL: what is due, the wake-ups to come, the digest's pending items and its daily claim. */
@Injectable()
export class RemindersRepository {
  constructor(private readonly tx: TransactionContext) {}

  /** Reminders of these subjects that apply at `now` and are in nobody's inbox yet. */
  dueFor(subjects: SubjectRef[], offsets: ReminderOffsets, now: Date): Promise<DueReminderRow[]> {
    return this.tx.manager.query<DueReminderRow[]>(dueRemindersSql(offsets, false), [now, ...subjectParams(subjects)]);
  }

  /** Every subject with a reminder that applies at `now` and has not been sent. */
  dueSubjects(offsets: ReminderOffsets, now: Date): Promise<SubjectRef[]> {
    return this.tx.manager.query<SubjectRef[]>(
      `SELECT DISTINCT "subjectType" AS type, "subjectId" AS id FROM (${dueRemindersSql(offsets, true)}) due`,
      [now],
    );
  }

  /** Each subject's first moment after `now` and no later than `horizon` (of these subjects, or all). */
  upcomingWakeUps(
    subjects: SubjectRef[] | 'all',
    offsets: ReminderOffsets,
    now: Date,
    horizon: Date,
  ): Promise<{ type: SubjectRef['type']; id: string; fireAt: Date }[]> {
    const all = subjects === 'all';
    return this.tx.manager.query(upcomingWakeUpsSql(offsets, all), [
      now,
      horizon,
      ...(all ? [] : subjectParams(subjects)),
    ]);
  }

  /**
   * Raises problems to the escalation levels given (never lowers one), with an `escalated` event
   * for each problem actually raised.
   */
  async raiseEscalation(levels: ReadonlyMap<string, number>, at: Date): Promise<void> {
    if (levels.size === 0) return;
    const ids = [...levels.keys()].sort();
    const raised = await this.tx.manager.query<{ id: string; level: number }[]>(
      `WITH raised AS (
         UPDATE problems p SET escalation_level = x.level
           FROM unnest($1::uuid[], $2::smallint[]) AS x(id, level)
          WHERE p.id = x.id AND p.escalation_level < x.level
         RETURNING p.id, x.level)
       SELECT id, level FROM raised`,
      [ids, ids.map((id) => levels.get(id))],
    );
    if (raised.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO problem_events (problem_id, type, data, at)
       SELECT r.id, 'escalated', jsonb_build_object('level', r.level), $3
         FROM unnest($1::uuid[], $2::int[]) AS r(id, level)`,
      [raised.map((r) => r.id), raised.map((r) => r.level), at],
    );
  }

  /** Claims the digest of a Beijing day; false when it was claimed already (sent, or being sent). */
  async claimDigestDay(day: string, at: Date): Promise<boolean> {
    const claimed = await this.tx.manager.query<unknown[]>(
      `INSERT INTO reminder_runs (name, day, completed_at) VALUES ('digest', $1, $2)
       ON CONFLICT DO NOTHING RETURNING day`,
      [day, at],
    );
    return claimed.length > 0;
  }

  async digestDayClaimed(day: string): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      `SELECT 1 FROM reminder_runs WHERE name = 'digest' AND day = $1`,
      [day],
    );
    return rows.length > 0;
  }

  /** What each person has pending at `now`, a line per category (see `digestItemsSql`). */
  digestItems(offsets: ReminderOffsets, now: Date): Promise<({ recipientId: string } & DigestLine)[]> {
    return this.tx.manager.query(digestItemsSql(offsets), [now]);
  }
}
