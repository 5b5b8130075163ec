import { Injectable } from '@nestjs/common';
import { namedQuery } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { enterpriseScopeCondition, problemScopeCondition } from '../access/scope';
import type { DashboardView } from '../dashboard/dashboard.view';
import { enterpriseActiveSql, visitOverdueSql } from '../rules/enterprise-rules';
import { problemOverdueSql, problemWorkedSql } from '../rules/problem-rules';
import { TransactionContext } from '../transactions/transaction-context';

/** A district's or the city's figures, as one row (see `DashboardRepository.districtFigures`). */
export interface DistrictFiguresRow {
  load: {
    enterprises: number;
    withShortage: number;
    shortage: number;
    open: number;
    inProgress: number;
    awaitingReview: number;
  };
  visited: number;
  overdueVisits: number;
  visits: number;
  overdueProblems: number;
  closed: { count: number; median: number | null };
  byCommissioner: DashboardView['byCommissioner'];
}

/** A commissioner's own figures (see `DashboardRepository.personalFigures`). */
export interface PersonalFigures {
  ledger: { enterprises: number; withShortage: number; shortage: number; visited: number; overdue: number };
  visits: number;
  problems: DashboardView['problems'];
  byCommissioner: DashboardView['byCommissioner'];
}

/** The dashboard's figures, each defined like the list it summarises. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * Status-based figures come from `workload_rollups` (kept in the writing transactions);
   * what depends on the clock (overdue, the last 30 days) is counted from indexes that include
   * the district and whether the enterprise is active, without joining the ledger. One round trip.
   */
  async districtFigures(actor: Actor, now: Date, since: Date): Promise<DistrictFiguresRow> {
    // Rollups, problems and visits carry the district as enterprises do: one scope rule for all.
    const inScope = (alias: string) => {
      const condition = enterpriseScopeCondition(actor, alias);
      return condition ? `AND ${condition.sql}` : '';
    };
    const [row] = await namedQuery<DistrictFiguresRow>(
      this.tx.manager,
      `WITH load AS (
         SELECT w.person_id AS id, SUM(w.enterprises)::int AS enterprises,
                SUM(w.enterprises_with_shortage)::int AS "withShortage", SUM(w.shortage)::int AS shortage,
                SUM(w.open_problems)::int AS open, SUM(w.in_progress_problems)::int AS "inProgress",
                SUM(w.resolved_problems)::int AS "awaitingReview"
           FROM workload_rollups w WHERE true ${inScope('w')}
          GROUP BY w.person_id),
       late_visits AS (
         SELECT e.commissioner_id AS id, COUNT(*)::int AS n FROM enterprises e
          WHERE ${enterpriseActiveSql('e')} AND ${visitOverdueSql('e', ':now')} ${inScope('e')}
          GROUP BY e.commissioner_id),
       logged AS (
         SELECT v.commissioner_id AS id, COUNT(*)::int AS n FROM visits v
          WHERE v.enterprise_active AND v.visited_at >= :since AND v.visited_at <= :now ${inScope('v')}
          GROUP BY v.commissioner_id),
       late_problems AS (
         SELECT p.assignee_id AS id, COUNT(*)::int AS n FROM problems p
          WHERE ${problemOverdueSql('p', ':now')} AND p.enterprise_active ${inScope('p')}
          GROUP BY p.assignee_id)
       SELECT
         (SELECT json_build_object(
                   'enterprises', COALESCE(SUM(enterprises), 0), 'withShortage', COALESCE(SUM("withShortage"), 0),
                   'shortage', COALESCE(SUM(shortage), 0), 'open', COALESCE(SUM(open), 0),
                   'inProgress', COALESCE(SUM("inProgress"), 0), 'awaitingReview', COALESCE(SUM("awaitingReview"), 0))
            FROM load) AS load,
         (SELECT COUNT(*)::int FROM enterprises e
           WHERE ${enterpriseActiveSql('e')} AND e.last_visit_at >= :since AND e.last_visit_at <= :now ${inScope('e')}) AS visited,
         (SELECT COALESCE(SUM(n), 0)::int FROM late_visits) AS "overdueVisits",
         (SELECT COALESCE(SUM(n), 0)::int FROM logged) AS visits,
         (SELECT COALESCE(SUM(n), 0)::int FROM late_problems) AS "overdueProblems",
         (SELECT json_build_object('count', COUNT(*),
                   'median', round((percentile_cont(0.5) WITHIN GROUP (
                                     ORDER BY extract(epoch FROM p.closed_at - p.reported_at) / 86400))::numeric, 1))
            FROM problems p
           WHERE p.status = 'closed' AND p.closed_at >= :since AND p.enterprise_active ${inScope('p')}) AS closed,
         (SELECT COALESCE(json_agg(c ORDER BY c."displayName", c."commissionerId"), '[]')
            FROM (SELECT u.id AS "commissionerId", u.display_name AS "displayName", COALESCE(load.enterprises, 0) AS enterprises,
                         COALESCE(logged.n, 0) AS "visitsLast30Days", COALESCE(late_visits.n, 0) AS "overdueVisits",
                         COALESCE(load.open + load."inProgress", 0) AS "openProblems",
                         COALESCE(late_problems.n, 0) AS "overdueProblems"
                    FROM users u
                    LEFT JOIN load ON load.id = u.id LEFT JOIN logged ON logged.id = u.id
                    LEFT JOIN late_visits ON late_visits.id = u.id LEFT JOIN late_problems ON late_problems.id = u.id
                   WHERE u.role = 'commissioner'
                     AND (load.enterprises > 0 OR logged.id IS NOT NULL OR load.open + load."inProgress" > 0)) c
         ) AS "byCommissioner"`,
      { now, since, ...enterpriseScopeCondition(actor, 'e')?.params },
    );
    return row;
  }

  /** A commissioner's own enterprises, and the problems assigned to them elsewhere. */
  async personalFigures(actor: Actor, now: Date, since: Date): Promise<PersonalFigures> {
    const enterpriseScope = enterpriseScopeCondition(actor, 'e');
    const problemScope = problemScopeCondition(actor, 'p', 'e');
    const params = { now, since, ...enterpriseScope?.params, ...problemScope?.params };
    const inScope = enterpriseScope ? `AND ${enterpriseScope.sql}` : '';
    const problemsInScope = problemScope ? `AND ${problemScope.sql}` : '';
    const manager = this.tx.manager;

    // Independent aggregates: run side by side on the pool rather than one after another.
    const [[ledger], [visits], [problems], byCommissioner] = await Promise.all([
      namedQuery<PersonalFigures['ledger']>(
        manager,
        `SELECT COUNT(*)::int AS enterprises,
              COUNT(*) FILTER (WHERE e.shortage > 0)::int AS "withShortage",
              COALESCE(SUM(e.shortage), 0)::int AS shortage,
              COUNT(*) FILTER (WHERE e.last_visit_at >= :since AND e.last_visit_at <= :now)::int AS visited,
              COUNT(*) FILTER (WHERE ${visitOverdueSql('e', ':now')})::int AS overdue
         FROM enterprises e WHERE ${enterpriseActiveSql('e')} ${inScope}`,
        params,
      ),
      namedQuery<{ count: number }>(
        manager,
        `SELECT COUNT(*)::int AS count FROM visits v JOIN enterprises e ON e.id = v.enterprise_id
        WHERE ${enterpriseActiveSql('e')} AND v.visited_at >= :since AND v.visited_at <= :now ${inScope}`,
        params,
      ),
      namedQuery<DashboardView['problems']>(
        manager,
        `SELECT COUNT(*) FILTER (WHERE ${problemWorkedSql('p')})::int AS open,
              COUNT(*) FILTER (WHERE p.status = 'open')::int AS "notStarted",
              COUNT(*) FILTER (WHERE p.status = 'in_progress')::int AS "inProgress",
              COUNT(*) FILTER (WHERE p.status = 'resolved')::int AS "awaitingReview",
              COUNT(*) FILTER (WHERE ${problemOverdueSql('p', ':now')})::int AS overdue,
              COUNT(*) FILTER (WHERE p.status = 'closed' AND p.closed_at >= :since)::int AS "closedLast30Days",
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.closed_at - p.reported_at) / 86400)
                FILTER (WHERE p.status = 'closed' AND p.closed_at >= :since))::numeric, 1)::float AS "medianDaysToClose"
         FROM problems p JOIN enterprises e ON e.id = p.enterprise_id
        WHERE ${enterpriseActiveSql('e')} ${problemsInScope}`,
        params,
      ),
      namedQuery<DashboardView['byCommissioner'][number]>(
        manager,
        `WITH mine AS (
         SELECT e.commissioner_id AS id, COUNT(*)::int AS enterprises,
                COUNT(*) FILTER (WHERE ${visitOverdueSql('e', ':now')})::int AS "overdueVisits"
           FROM enterprises e WHERE ${enterpriseActiveSql('e')} AND e.commissioner_id IS NOT NULL ${inScope}
          GROUP BY e.commissioner_id),
       logged AS (
         SELECT v.commissioner_id AS id, COUNT(*)::int AS visits
           FROM visits v JOIN enterprises e ON e.id = v.enterprise_id
          WHERE ${enterpriseActiveSql('e')} AND v.visited_at >= :since AND v.visited_at <= :now ${inScope}
          GROUP BY v.commissioner_id),
       assigned AS (
         SELECT p.assignee_id AS id, COUNT(*)::int AS open,
                COUNT(*) FILTER (WHERE ${problemOverdueSql('p', ':now')})::int AS overdue
           FROM problems p JOIN enterprises e ON e.id = p.enterprise_id
          WHERE ${enterpriseActiveSql('e')} AND ${problemWorkedSql('p')} AND p.assignee_id IS NOT NULL ${problemsInScope}
          GROUP BY p.assignee_id)
       SELECT u.id AS "commissionerId", u.display_name AS "displayName",
              COALESCE(mine.enterprises, 0) AS enterprises, COALESCE(logged.visits, 0) AS "visitsLast30Days",
              COALESCE(mine."overdueVisits", 0) AS "overdueVisits", COALESCE(assigned.open, 0) AS "openProblems",
              COALESCE(assigned.overdue, 0) AS "overdueProblems"
         FROM users u
         LEFT JOIN mine ON mine.id = u.id LEFT JOIN logged ON logged.id = u.id LEFT JOIN assigned ON assigned.id = u.id
        WHERE u.role = 'commissioner' AND (mine.id IS NOT NULL OR logged.id IS NOT NULL OR assigned.id IS NOT NULL)
        ORDER BY u.display_name, u.id`,
        params,
      ),
    ]);
    return { ledger, visits: visits.count, problems, byCommissioner };
  }
}
