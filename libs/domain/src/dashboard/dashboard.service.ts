import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@keydesk/common';
import { namedQuery } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { enterpriseScopeCondition, problemScopeCondition } from '../access/scope';
import { DashboardView } from './dashboard.view';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The caller's figures at a glance. Each one is defined like the list it summarises (same
 * scope, same conditions), over active enterprises only (SPEC: aggregates leave archived ones out).
 */
@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async forActor(actor: Actor): Promise<DashboardView> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - 30 * DAY_MS);
    const enterpriseScope = enterpriseScopeCondition(actor, 'e');
    const problemScope = problemScopeCondition(actor, 'p', 'e');
    const params = { now, since, ...enterpriseScope?.params, ...problemScope?.params };
    const inScope = enterpriseScope ? `AND ${enterpriseScope.sql}` : '';
    const problemsInScope = problemScope ? `AND ${problemScope.sql}` : '';

    // Independent aggregates: run side by side on the pool rather than one after another.
    const [[ledger], [visits], [problems], byCommissioner] = await Promise.all([
      namedQuery<{
        enterprises: number;
        withShortage: number;
        shortage: number;
        visited: number;
        overdue: number;
      }>(
        this.db,
        `SELECT COUNT(*)::int AS enterprises,
              COUNT(*) FILTER (WHERE e.shortage > 0)::int AS "withShortage",
              COALESCE(SUM(e.shortage), 0)::int AS shortage,
              COUNT(*) FILTER (WHERE e.last_visit_at >= :since AND e.last_visit_at <= :now)::int AS visited,
              COUNT(*) FILTER (WHERE e.next_visit_due_at < :now)::int AS overdue
         FROM enterprises e WHERE e.status = 'active' ${inScope}`,
        params,
      ),
      namedQuery<{ count: number }>(
        this.db,
        `SELECT COUNT(*)::int AS count FROM visits v JOIN enterprises e ON e.id = v.enterprise_id
        WHERE e.status = 'active' AND v.visited_at >= :since AND v.visited_at <= :now ${inScope}`,
        params,
      ),
      namedQuery<DashboardView['problems']>(
        this.db,
        `SELECT COUNT(*) FILTER (WHERE p.status = 'open')::int AS open,
              COUNT(*) FILTER (WHERE p.status = 'in_progress')::int AS "inProgress",
              COUNT(*) FILTER (WHERE p.status = 'resolved')::int AS "awaitingReview",
              COUNT(*) FILTER (WHERE p.status IN ('open', 'in_progress') AND p.due_at < :now)::int AS overdue,
              COUNT(*) FILTER (WHERE p.status = 'closed' AND p.closed_at >= :since)::int AS "closedLast30Days",
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.closed_at - p.reported_at) / 86400)
                FILTER (WHERE p.status = 'closed' AND p.closed_at >= :since))::numeric, 1)::float AS "medianDaysToClose"
         FROM problems p JOIN enterprises e ON e.id = p.enterprise_id
        WHERE e.status = 'active' ${problemsInScope}`,
        params,
      ),
      namedQuery<DashboardView['byCommissioner'][number]>(
        this.db,
        `WITH mine AS (
         SELECT e.commissioner_id AS id, COUNT(*)::int AS enterprises,
                COUNT(*) FILTER (WHERE e.next_visit_due_at < :now)::int AS "overdueVisits"
           FROM enterprises e WHERE e.status = 'active' AND e.commissioner_id IS NOT NULL ${inScope}
          GROUP BY e.commissioner_id),
       logged AS (
         SELECT v.commissioner_id AS id, COUNT(*)::int AS visits
           FROM visits v JOIN enterprises e ON e.id = v.enterprise_id
          WHERE e.status = 'active' AND v.visited_at >= :since AND v.visited_at <= :now ${inScope}
          GROUP BY v.commissioner_id),
       assigned AS (
         SELECT p.assignee_id AS id, COUNT(*)::int AS open,
                COUNT(*) FILTER (WHERE p.due_at < :now)::int AS overdue
           FROM problems p JOIN enterprises e ON e.id = p.enterprise_id
          WHERE e.status = 'active' AND p.status IN ('open', 'in_progress') AND p.assignee_id IS NOT NULL ${problemsInScope}
          GROUP BY p.assignee_id)
       SELECT u.id AS "commissionerId", u.display_name AS name,
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
    return {
      enterprises: ledger.enterprises,
      enterprisesWithShortage: ledger.withShortage,
      totalShortage: ledger.shortage,
      visits: {
        last30Days: visits.count,
        coverage30Days: ledger.enterprises ? Math.round((ledger.visited / ledger.enterprises) * 1000) / 1000 : 0,
        overdue: ledger.overdue,
      },
      problems: problems,
      byCommissioner,
    };
  }
}
