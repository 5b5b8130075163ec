import { Injectable } from '@nestjs/common';
import { PageRequest, pageOffset, parseSort } from '@keydesk/common';
import { namedQuery, preparedQuery } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { enterpriseScopeCondition, problemScopeCondition } from '../access/scope';
import type { DashboardCommissionerView, DashboardView } from '../dashboard/dashboard.view';
import { enterpriseActiveSql, visitOverdueSql } from '../rules/enterprise-rules';
import { problemOverdueSql, problemWorkedSql } from '../rules/problem-rules';
import { TransactionContext } from '../transactions/transaction-context';

/** What GET /dashboard/commissioners sorts by (`-` for descending); ties by displayName, then id. */
export const DASHBOARD_COMMISSIONER_SORT_FIELDS = [
  'displayName',
  'enterprises',
  'visitsLast30Days',
  'overdueVisits',
  'openProblems',
  'overdueProblems',
] as const;
export type DashboardCommissionerSortField = (typeof DASHBOARD_COMMISSIONER_SORT_FIELDS)[number];

export interface CommissionerTableFilter {
  /** A field of DASHBOARD_COMMISSIONER_SORT_FIELDS, `-` for descending; displayName when absent. */
  sort?: string;
  /** Only this district's figures (within the caller's scope). */
  districtCode?: string;
}

/** A district's or the city's headline figures, as one row (see `DashboardRepository.districtFigures`). */
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
}

/** A commissioner's own figures (see `DashboardRepository.personalFigures`). */
export interface PersonalFigures {
  ledger: { enterprises: number; withShortage: number; shortage: number; visited: number; overdue: number };
  visits: number;
  problems: DashboardView['problems'];
}

/** The table's rows as a CTE named `commissioner_rows`, with its parameters. */
interface CommissionerTable {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Median of closedAt − reportedAt in days, to one decimal, over the rows (and `FILTER`) given.
 * The median is taken of the intervals themselves and turned into days once: sorting intervals
 * takes about half the time of computing and sorting a numeric epoch per row.
 */
const medianDaysToCloseSql = (p: string, filter = ''): string =>
  `round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY ${p}.closed_at - ${p}.reported_at)${filter}) / 86400, 1)`;

/** What `day_rollups` counts per district and UTC day (DayRollups1765400000000). */
type DayFigure = 'visit' | 'visited' | 'visit_due' | 'problem_due';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Where a window [since, now] is cut into whole UTC days (as PostgreSQL's `utc_day()`): the days
 * strictly between the two ends are read from `day_rollups`, the two partial ones from the rows.
 * The dashboard's windows span 30 days, so the two ends never fall on the same day.
 */
function dayBounds(since: Date, now: Date) {
  const sinceDay = Math.floor(since.getTime() / DAY_MS);
  const nowDay = Math.floor(now.getTime() / DAY_MS);
  return { sinceDay, nowDay, sinceDayEnd: new Date((sinceDay + 1) * DAY_MS), nowDayStart: new Date(nowDay * DAY_MS) };
}

const SORT_COLUMNS: Record<DashboardCommissionerSortField, string> = {
  displayName: '"displayName"',
  enterprises: 'enterprises',
  visitsLast30Days: '"visitsLast30Days"',
  overdueVisits: '"overdueVisits"',
  openProblems: '"openProblems"',
  overdueProblems: '"overdueProblems"',
};

/** The dashboard's figures, each defined like the list it summarises. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * Status-based figures come from `workload_rollups` (kept in the writing transactions), summed
   * over the scope's districts without grouping. What depends on the clock (overdue, the last 30
   * days) is read as whole UTC days from `day_rollups` plus an exact count of the partial days at
   * the window's ends, from partial indexes that carry the district and hold only what counts
   * (active enterprises, problems still worked). The closing times' median needs the closed
   * problems themselves and reads them (index-only). One round trip.
   */
  async districtFigures(actor: Actor, now: Date, since: Date): Promise<DistrictFiguresRow> {
    // Rollups, problems and visits carry the district as enterprises do: one scope rule for all.
    const inScope = (alias: string) => {
      const condition = enterpriseScopeCondition(actor, alias);
      return condition ? `AND ${condition.sql}` : '';
    };
    const wholeDays = (figure: DayFigure, days: string) =>
      `(SELECT COALESCE(SUM(d.count), 0) FROM day_rollups d WHERE d.figure = '${figure}' AND ${days} ${inScope('d')})`;
    const [row] = await preparedQuery<DistrictFiguresRow>(
      this.tx.manager,
      'dashboard-district-figures',
      `SELECT
         (SELECT json_build_object(
                   'enterprises', COALESCE(SUM(w.enterprises), 0),
                   'withShortage', COALESCE(SUM(w.enterprises_with_shortage), 0),
                   'shortage', COALESCE(SUM(w.shortage), 0), 'open', COALESCE(SUM(w.open_problems), 0),
                   'inProgress', COALESCE(SUM(w.in_progress_problems), 0),
                   'awaitingReview', COALESCE(SUM(w.resolved_problems), 0))
            FROM workload_rollups w WHERE true ${inScope('w')}) AS load,
         (${wholeDays('visited', 'd.day > :sinceDay AND d.day < :nowDay')}
          + (SELECT COUNT(*) FROM enterprises e
              WHERE ${enterpriseActiveSql('e')} AND e.last_visit_at >= :since AND e.last_visit_at < :sinceDayEnd ${inScope('e')})
          + (SELECT COUNT(*) FROM enterprises e
              WHERE ${enterpriseActiveSql('e')} AND e.last_visit_at >= :nowDayStart AND e.last_visit_at <= :now ${inScope('e')})
         )::int AS visited,
         (${wholeDays('visit_due', 'd.day < :nowDay')}
          + (SELECT COUNT(*) FROM enterprises e
              WHERE ${enterpriseActiveSql('e')} AND ${visitOverdueSql('e', ':now')} AND e.next_visit_due_at >= :nowDayStart
                    ${inScope('e')})
         )::int AS "overdueVisits",
         (${wholeDays('visit', 'd.day > :sinceDay AND d.day < :nowDay')}
          + (SELECT COUNT(*) FROM visits v
              WHERE v.enterprise_active AND v.visited_at >= :since AND v.visited_at < :sinceDayEnd ${inScope('v')})
          + (SELECT COUNT(*) FROM visits v
              WHERE v.enterprise_active AND v.visited_at >= :nowDayStart AND v.visited_at <= :now ${inScope('v')})
         )::int AS visits,
         (${wholeDays('problem_due', 'd.day < :nowDay')}
          + (SELECT COUNT(*) FROM problems p
              WHERE ${problemOverdueSql('p', ':now')} AND p.due_at >= :nowDayStart AND p.enterprise_active ${inScope('p')})
         )::int AS "overdueProblems",
         (SELECT json_build_object('count', COUNT(*), 'median', ${medianDaysToCloseSql('p')})
            FROM problems p
           WHERE p.status = 'closed' AND p.closed_at >= :since AND p.enterprise_active ${inScope('p')}) AS closed`,
      { now, since, ...dayBounds(since, now), ...enterpriseScopeCondition(actor, 'e')?.params },
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
    const [[ledger], [visits], [problems]] = await Promise.all([
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
              ${medianDaysToCloseSql('p', ` FILTER (WHERE p.status = 'closed' AND p.closed_at >= :since)`)}::float
                AS "medianDaysToClose"
         FROM problems p JOIN enterprises e ON e.id = p.enterprise_id
        WHERE ${enterpriseActiveSql('e')} ${problemsInScope}`,
        params,
      ),
    ]);
    return { ledger, visits: visits.count, problems };
  }

  /**
   * One page of the per-commissioner table and how many rows it has in all. Every row needs the
   * figures of every commissioner in scope to be sorted, so this groups the scope's overdue
   * enterprises, recent visits and overdue problems by person: it is kept off GET /dashboard.
   */
  async commissionerPage(
    actor: Actor,
    now: Date,
    since: Date,
    filter: CommissionerTableFilter,
    page: PageRequest,
  ): Promise<{ items: DashboardCommissionerView[]; total: number }> {
    const table = this.commissionerTable(actor, now, since, filter.districtCode);
    const order = commissionerOrder(filter.sort);
    const [row] = await namedQuery<{ items: DashboardCommissionerView[]; total: number }>(
      this.tx.manager,
      `${table.sql}
       SELECT (SELECT COUNT(*)::int FROM commissioner_rows) AS total,
              (SELECT COALESCE(json_agg(r ORDER BY ${order}), '[]')
                 FROM (SELECT * FROM commissioner_rows ORDER BY ${order} LIMIT :limit OFFSET :offset) r) AS items`,
      { ...table.params, limit: page.pageSize, offset: pageOffset(page) },
    );
    return row;
  }

  /** Every row of the table, by displayName (the dashboard's workbook). */
  allCommissioners(actor: Actor, now: Date, since: Date): Promise<DashboardCommissionerView[]> {
    const table = this.commissionerTable(actor, now, since);
    return namedQuery<DashboardCommissionerView>(
      this.tx.manager,
      `${table.sql} SELECT * FROM commissioner_rows ORDER BY ${commissionerOrder(undefined)}`,
      table.params,
    );
  }

  /**
   * The per-commissioner rows in the caller's scope, as the CTE `commissioner_rows`. A supervisor
   * or admin sees every commissioner with work in their districts (or the city); a commissioner,
   * the people working on their own enterprises (themselves, colleagues who visited them or hold
   * their problems) and themselves for the problems assigned to them elsewhere.
   */
  private commissionerTable(actor: Actor, now: Date, since: Date, districtCode?: string): CommissionerTable {
    return actor.role === 'commissioner'
      ? personalTable(actor, now, since, districtCode)
      : districtTable(actor, now, since, districtCode);
  }
}

/** ORDER BY for the table's rows: the field asked for, then displayName and id (a stable order). */
function commissionerOrder(sort: string | undefined): string {
  const { field, direction } = parseSort<DashboardCommissionerSortField>(sort, 'displayName');
  // The DTO allows only known fields; anything else falls back to the default rather than reaching SQL.
  return `${SORT_COLUMNS[field] ?? SORT_COLUMNS.displayName} ${direction}, "displayName", "commissionerId"`;
}

/** Supervisors and admins: the rollups for enterprises and open problems, indexes carrying the district for the rest. */
function districtTable(actor: Actor, now: Date, since: Date, districtCode?: string): CommissionerTable {
  const inScope = (alias: string) => {
    const condition = enterpriseScopeCondition(actor, alias);
    return (
      (condition ? `AND ${condition.sql}` : '') + (districtCode ? ` AND ${alias}.district_code = :districtCode` : '')
    );
  };
  return {
    sql: `WITH load AS (
         SELECT w.person_id AS id, SUM(w.enterprises)::int AS enterprises,
                SUM(w.open_problems + w.in_progress_problems)::int AS "openProblems"
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
          GROUP BY p.assignee_id),
       commissioner_rows AS (
         SELECT u.id AS "commissionerId", u.display_name AS "displayName", COALESCE(load.enterprises, 0) AS enterprises,
                COALESCE(logged.n, 0) AS "visitsLast30Days", COALESCE(late_visits.n, 0) AS "overdueVisits",
                COALESCE(load."openProblems", 0) AS "openProblems", COALESCE(late_problems.n, 0) AS "overdueProblems"
           FROM users u
           LEFT JOIN load ON load.id = u.id LEFT JOIN logged ON logged.id = u.id
           LEFT JOIN late_visits ON late_visits.id = u.id LEFT JOIN late_problems ON late_problems.id = u.id
          WHERE u.role = 'commissioner'
            AND (load.enterprises > 0 OR logged.id IS NOT NULL OR load."openProblems" > 0))`,
    params: { now, since, ...(districtCode ? { districtCode } : {}), ...enterpriseScopeCondition(actor, 'e')?.params },
  };
}

/** A commissioner: their own enterprises, and the problems assigned to them elsewhere. */
function personalTable(actor: Actor, now: Date, since: Date, districtCode?: string): CommissionerTable {
  const enterpriseScope = enterpriseScopeCondition(actor, 'e');
  const problemScope = problemScopeCondition(actor, 'p', 'e');
  const inDistrict = (alias: string) => (districtCode ? `AND ${alias}.district_code = :districtCode` : '');
  const inScope = `${enterpriseScope ? `AND ${enterpriseScope.sql}` : ''} ${inDistrict('e')}`;
  const problemsInScope = `${problemScope ? `AND ${problemScope.sql}` : ''} ${inDistrict('p')}`;
  return {
    sql: `WITH mine AS (
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
          GROUP BY p.assignee_id),
       commissioner_rows AS (
         SELECT u.id AS "commissionerId", u.display_name AS "displayName",
                COALESCE(mine.enterprises, 0) AS enterprises, COALESCE(logged.visits, 0) AS "visitsLast30Days",
                COALESCE(mine."overdueVisits", 0) AS "overdueVisits", COALESCE(assigned.open, 0) AS "openProblems",
                COALESCE(assigned.overdue, 0) AS "overdueProblems"
           FROM users u
           LEFT JOIN mine ON mine.id = u.id LEFT JOIN logged ON logged.id = u.id LEFT JOIN assigned ON assigned.id = u.id
          WHERE u.role = 'commissioner' AND (mine.id IS NOT NULL OR logged.id IS NOT NULL OR assigned.id IS NOT NULL))`,
    params: {
      now,
      since,
      ...(districtCode ? { districtCode } : {}),
      ...enterpriseScope?.params,
      ...problemScope?.params,
    },
  };
}
