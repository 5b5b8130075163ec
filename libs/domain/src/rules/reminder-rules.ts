import type { NotificationKind, ReminderOffsets } from '@keydesk/database';
import type { ReminderSubjectType, SubjectRef } from '@keydesk/queue';
import { supervisorCoversSql } from '../access/scope';
import { OPEN_DEMAND_LISTS_SQL } from './demand-rules';
import { enterpriseActiveSql, visitOverdueSql } from './enterprise-rules';
import { problemOverdueSql, problemWorkedSql } from './problem-rules';

/**
 * SPEC "Reminders": what is sent, when, and to whom. Every reminder hangs off a base moment of
 * its subject (a visit's due date, a problem's due date, the last update of an open demand
 * list); it fires at base + shift and applies until base + expiresShift (or for as long as
 * its subject is in the state below). This table is the whole rule: the SQL that finds due
 * reminders, upcoming wake-ups and the digest's pending items is generated from it.
 *
 * | kind              | base (source)                    | fires at          | applies until | to                          | in the digest    |
 * |-------------------|----------------------------------|-------------------|---------------|-----------------------------|------------------|
 * | visit_upcoming    | nextVisitDueAt                   | base − 3 days     | base          | commissioner                | no               |
 * | visit_overdue     | nextVisitDueAt                   | base + 1 day      | a visit       | commissioner, supervisors   | from base        |
 * | problem_due_soon  | dueAt (open / in progress)       | base − 24 h       | base          | assignee                    | while it applies |
 * | problem_overdue   | dueAt (open / in progress)       | base (level 1)    | resolution    | assignee, supervisors       | from base        |
 * | problem_escalated | dueAt (open / in progress)       | base + 3 d (lvl 2)| resolution    | admins                      | while it applies |
 * | demand_stale      | last update of the open demands  | base + 30 days    | an update     | commissioner                | while it applies |
 *
 * Offsets come from settings. "Applies until" is what makes late entries right: a problem
 * entered already overdue never gets "due soon", but does get "overdue" (and "escalated").
 * Archived enterprises and their problems get nothing; inactive users get nothing. The 08:30
 * digest lists what is pending by the same table, to the same people (plus, for supervisors, the
 * problems awaiting their review, which no reminder announces).
 */

type Source = 'visit' | 'problem' | 'demands';
export type Recipient = 'commissioner' | 'assignee' | 'supervisors' | 'admins';

export interface ReminderRule {
  kind: Exclude<NotificationKind, 'digest'>;
  source: Source;
  /** Seconds from the base moment to the moment it fires. */
  shift: (offsets: ReminderOffsets) => number;
  /** Seconds from the base moment after which it no longer applies; null: while the subject stays as it is. */
  expiresShift: ((offsets: ReminderOffsets) => number) | null;
  to: readonly Recipient[];
  /** The problem's escalation level once this has been sent. */
  escalationLevel?: 1 | 2;
  /**
   * How the 08:30 digest lists its subjects: `'applies'` while the reminder applies; `'overdue'`
   * from the base moment on, by the overdue rule the lists and the dashboard count with (so an
   * overdue visit is in the digest from its due date, while its reminder leaves a day's grace);
   * null: not in the digest (a visit coming up is not pending work yet).
   */
  digest: 'applies' | 'overdue' | null;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const REMINDER_RULES: readonly ReminderRule[] = [
  {
    kind: 'visit_upcoming',
    source: 'visit',
    shift: (o) => -o.visitUpcomingDays * DAY,
    expiresShift: () => 0,
    to: ['commissioner'],
    digest: null,
  },
  {
    kind: 'visit_overdue',
    source: 'visit',
    shift: (o) => o.visitOverdueDays * DAY,
    expiresShift: null,
    to: ['commissioner', 'supervisors'],
    digest: 'overdue',
  },
  {
    kind: 'problem_due_soon',
    source: 'problem',
    shift: (o) => -o.problemDueSoonHours * HOUR,
    expiresShift: () => 0,
    to: ['assignee'],
    digest: 'applies',
  },
  {
    kind: 'problem_overdue',
    source: 'problem',
    shift: () => 0,
    expiresShift: null,
    to: ['assignee', 'supervisors'],
    escalationLevel: 1,
    digest: 'overdue',
  },
  {
    kind: 'problem_escalated',
    source: 'problem',
    shift: (o) => o.problemLongOverdueDays * DAY,
    expiresShift: null,
    to: ['admins'],
    escalationLevel: 2,
    digest: 'applies',
  },
  {
    kind: 'demand_stale',
    source: 'demands',
    shift: (o) => o.demandStaleDays * DAY,
    expiresShift: null,
    to: ['commissioner'],
    digest: 'applies',
  },
];

/** The rule of one kind of reminder. */
export function reminderRule(kind: ReminderRule['kind']): ReminderRule {
  const rule = REMINDER_RULES.find((candidate) => candidate.kind === kind);
  if (!rule) throw new Error(`no reminder rule for ${kind}`);
  return rule;
}

/**
 * The latest base moment whose reminder has fired by `now` (it fires at base + shift). Lists
 * filter with it, so that a list agrees with its reminder: a demand list last updated at or
 * before `reminderBaseCutoff(reminderRule('demand_stale'), offsets, now)` is stale.
 */
export function reminderBaseCutoff(rule: ReminderRule, offsets: ReminderOffsets, now: Date): Date {
  return new Date(now.getTime() - rule.shift(offsets) * 1000);
}

/** The escalation level of a problem that has gone to the admins ("problem long overdue"). */
export const ESCALATED_TO_ADMINS_LEVEL = reminderRule('problem_escalated').escalationLevel!;

export const SUBJECT_TYPE_OF_SOURCE: Record<Source, ReminderSubjectType> = {
  visit: 'enterprise',
  problem: 'problem',
  demands: 'enterprise',
};

/** The same rule as the SQL below, for one base moment: does this reminder apply at `now`? */
export function reminderApplies(rule: ReminderRule, offsets: ReminderOffsets, base: Date, now: Date): boolean {
  const at = now.getTime();
  const fire = base.getTime() + rule.shift(offsets) * 1000;
  const expires = rule.expiresShift ? base.getTime() + rule.expiresShift(offsets) * 1000 : Infinity;
  return fire <= at && at < expires;
}

/** Placeholders of the enterprise and problem id lists a query is limited to; null: every subject. */
type SubjectFilter = { enterprises: string; problems: string } | null;

/** Each source as a subquery of (subject_id, enterprise_id, problem_id, base, item_count). */
function sourceSql(source: Source, only: SubjectFilter): string {
  switch (source) {
    case 'visit':
      return `SELECT e.id AS subject_id, e.id AS enterprise_id, NULL::uuid AS problem_id,
                     e.next_visit_due_at AS base, NULL::int AS item_count
                FROM enterprises e
               WHERE ${enterpriseActiveSql('e')} AND e.next_visit_due_at IS NOT NULL${only ? ` AND e.id = ANY(${only.enterprises}::uuid[])` : ''}`;
    case 'problem':
      return `SELECT p.id AS subject_id, p.enterprise_id, p.id AS problem_id, p.due_at AS base, NULL::int AS item_count
                FROM problems p JOIN enterprises e ON e.id = p.enterprise_id AND ${enterpriseActiveSql('e')}
               WHERE ${problemWorkedSql('p')}${only ? ` AND p.id = ANY(${only.problems}::uuid[])` : ''}`;
    case 'demands': {
      // On the grouped column, so PostgreSQL applies the id filter before grouping.
      const filter = only ? ` WHERE d.enterprise_id = ANY(${only.enterprises}::uuid[])` : '';
      return `SELECT d.enterprise_id AS subject_id, d.enterprise_id, NULL::uuid AS problem_id,
                     d.last_update AS base, d.open_count AS item_count
                FROM (${OPEN_DEMAND_LISTS_SQL}) d
                JOIN enterprises e ON e.id = d.enterprise_id AND ${enterpriseActiveSql('e')}${filter}`;
    }
  }
}

/** Users who receive a rule's reminder, joined to a source row `s` (with its enterprise `e`). */
function recipientJoin(to: Recipient): string {
  switch (to) {
    case 'commissioner':
      return `JOIN users u ON u.id = e.commissioner_id AND u.active`;
    case 'assignee':
      return `JOIN problems pa ON pa.id = s.problem_id JOIN users u ON u.id = pa.assignee_id AND u.active`;
    case 'supervisors':
      return `JOIN users u ON u.role = 'supervisor' AND u.active AND ${supervisorCoversSql('u', 'e')}`;
    case 'admins':
      return `JOIN users u ON u.role = 'admin' AND u.active`;
  }
}

const seconds = (value: number): string => {
  if (!Number.isFinite(value)) throw new Error(`reminder offset is not a number: ${value}`);
  return `interval '${Math.trunc(value)} seconds'`;
};

export interface DueReminderRow {
  kind: ReminderRule['kind'];
  subjectType: ReminderSubjectType;
  subjectId: string;
  recipientId: string;
  dueMoment: Date;
  enterpriseName: string;
  problemTitle: string | null;
  itemCount: number | null;
}

/**
 * Reminders that apply at $1 and are not yet in anyone's inbox, with what their message needs:
 * for the subjects in $2 (enterprise ids) and $3 (problem ids), or with `all` for every subject
 * (the reconciler's sweep, which takes $1 only).
 */
export function dueRemindersSql(offsets: ReminderOffsets, all: boolean): string {
  const only: SubjectFilter = all ? null : { enterprises: '$2', problems: '$3' };
  const branches = REMINDER_RULES.flatMap((rule) =>
    rule.to.map((to) => {
      const expiry = rule.expiresShift ? ` AND s.base > $1::timestamptz - ${seconds(rule.expiresShift(offsets))}` : '';
      return `SELECT '${rule.kind}'::text AS kind, '${SUBJECT_TYPE_OF_SOURCE[rule.source]}'::text AS subject_type,
                     s.subject_id, s.enterprise_id, s.problem_id, s.base AS due_moment, s.item_count, u.id AS recipient_id
                FROM (${sourceSql(rule.source, only)}) s
                JOIN enterprises e ON e.id = s.enterprise_id
                ${recipientJoin(to)}
               WHERE s.base <= $1::timestamptz - ${seconds(rule.shift(offsets))}${expiry}`;
    }),
  );
  return `SELECT DISTINCT r.kind, r.subject_type AS "subjectType", r.subject_id AS "subjectId",
                 r.recipient_id AS "recipientId", r.due_moment AS "dueMoment",
                 e.name AS "enterpriseName", p.title AS "problemTitle", r.item_count AS "itemCount"
            FROM (${branches.join('\n UNION ALL \n')}) r
            JOIN enterprises e ON e.id = r.enterprise_id
            LEFT JOIN problems p ON p.id = r.problem_id
           WHERE NOT EXISTS (SELECT 1 FROM notifications n
                              WHERE n.kind = r.kind AND n.subject_id = r.subject_id
                                AND n.recipient_id = r.recipient_id AND n.due_moment = r.due_moment)`;
}

/**
 * Each subject's first moment after $1 and no later than $2 (the wake-ups to schedule), for
 * the subjects in $3 (enterprise ids) and $4 (problem ids), or with `all` for every subject.
 */
export function upcomingWakeUpsSql(offsets: ReminderOffsets, all: boolean): string {
  const only: SubjectFilter = all ? null : { enterprises: '$3', problems: '$4' };
  const branches = REMINDER_RULES.map((rule) => {
    const shift = seconds(rule.shift(offsets));
    return `SELECT '${SUBJECT_TYPE_OF_SOURCE[rule.source]}'::text AS subject_type, s.subject_id, s.base + ${shift} AS fire_at
              FROM (${sourceSql(rule.source, only)}) s
             WHERE s.base > $1::timestamptz - ${shift} AND s.base <= $2::timestamptz - ${shift}`;
  });
  return `SELECT subject_type AS type, subject_id AS id, min(fire_at) AS "fireAt"
            FROM (${branches.join('\n UNION ALL \n')}) w
           GROUP BY subject_type, subject_id`;
}

/** Splits subjects into the two id lists the queries take. */
export function subjectParams(subjects: SubjectRef[]): [string[], string[]] {
  return [
    subjects.filter((s) => s.type === 'enterprise').map((s) => s.id),
    subjects.filter((s) => s.type === 'problem').map((s) => s.id),
  ];
}

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

/** The digest's category that no reminder announces: resolved problems waiting for a supervisor's review. */
const AWAITING_REVIEW = 'awaiting_review';

/** A subject past its base moment, by the rule the lists and the dashboard count overdue with. */
function overdueSql(source: Source): string {
  switch (source) {
    case 'visit':
      return visitOverdueSql('e', '$1');
    case 'problem':
      return problemOverdueSql('p', '$1');
    case 'demands':
      throw new Error('an open demand list goes stale, it is never overdue');
  }
}

/**
 * What each person has pending at $1, by category, with the first three by name (earliest base
 * first): one category per reminder in the digest, to the same people, plus the problems awaiting
 * a supervisor's review. Rows: (recipientId, category, count, examples).
 */
export function digestItemsSql(offsets: ReminderOffsets): string {
  const branches = REMINDER_RULES.filter((rule) => rule.digest !== null).flatMap((rule) =>
    rule.to.map((to) => {
      const pending =
        rule.digest === 'overdue'
          ? overdueSql(rule.source)
          : `s.base <= $1::timestamptz - ${seconds(rule.shift(offsets))}` +
            (rule.expiresShift ? ` AND s.base > $1::timestamptz - ${seconds(rule.expiresShift(offsets))}` : '');
      const problem = rule.source === 'problem';
      return `SELECT u.id AS recipient_id, '${rule.kind}'::text AS category, ${problem ? 'p.title' : 'e.name'} AS label,
                     s.base AS at
                FROM (${sourceSql(rule.source, null)}) s
                JOIN enterprises e ON e.id = s.enterprise_id${problem ? ' JOIN problems p ON p.id = s.problem_id' : ''}
                ${recipientJoin(to)}
               WHERE ${pending}`;
    }),
  );
  const awaitingReview = `SELECT u.id AS recipient_id, '${AWAITING_REVIEW}'::text AS category, p.title AS label, p.resolved_at AS at
                            FROM problems p JOIN enterprises e ON e.id = p.enterprise_id AND ${enterpriseActiveSql('e')}
                            ${recipientJoin('supervisors')}
                           WHERE p.status = 'resolved'`;
  return `SELECT i.recipient_id AS "recipientId", i.category, count(*)::int AS count,
                 (array_agg(i.label ORDER BY i.at, i.label))[1:3] AS examples
            FROM (${[...branches, awaitingReview].join('\n UNION ALL \n')}) i
           GROUP BY i.recipient_id, i.category`;
}
