import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { PageRequest, pageOffset, parseSort } from '@keydesk/common';
import {
  countRows,
  cursorBatches,
  cursorPosition,
  Enterprise,
  Keyset,
  keyset,
  keysetCondition,
  keysetPage,
  KeysetType,
  namedQuery,
  orderByKeyset,
  Priority,
  Problem,
  ProblemCategory,
  ProblemEvent,
  PROBLEM_STATUSES,
  selectKeysetColumns,
  User,
  WithKeysetColumns,
} from '@keydesk/database';
import type { Actor } from '../access/actor';
import { applyScope, enterpriseScopeCondition, problemScopeCondition } from '../access/scope';
import type { ProblemEventView, ProblemView } from '../problems/problem.view';
import { problemOverdueSql, problemWorkedSql, UNFINISHED_PROBLEM_STATUSES } from '../rules/problem-rules';
import { ESCALATED_TO_ADMINS_LEVEL } from '../rules/reminder-rules';
import { TransactionContext } from '../transactions/transaction-context';

/** A problem as lists show it, before the view adds what is computed (overdue). */
export interface ProblemRow extends Omit<ProblemView, 'enterprise' | 'assignee' | 'overdue'> {
  enterpriseName: string;
  districtCode: string;
  assigneeName: string | null;
}

export interface ProblemEventRow extends Omit<ProblemEventView, 'actor'> {
  actorId: string | null;
  actorName: string | null;
}

/** One entry of a problem's timeline, as written. */
export type NewProblemEvent = Pick<ProblemEvent, 'problemId' | 'type' | 'actorId' | 'at'> &
  Partial<Pick<ProblemEvent, 'action' | 'fromStatus' | 'toStatus' | 'note' | 'data'>>;

/** A single status, `open_or_in_progress` (the work still to do), or `all`. */
export const PROBLEM_STATUS_FILTERS = [...PROBLEM_STATUSES, 'open_or_in_progress', 'all'] as const;
export type ProblemStatusFilter = (typeof PROBLEM_STATUS_FILTERS)[number];

export interface ProblemFilter {
  /** `all` (or none): every status. */
  status?: ProblemStatusFilter;
  priority?: Priority;
  category?: ProblemCategory;
  assigneeId?: string;
  enterpriseId?: string;
  /** Found on this visit. */
  sourceVisitId?: string;
  districtCode?: string;
  overdue?: boolean;
  /** Whether the problem has gone to the admins (escalation level of "problem long overdue"). */
  escalated?: boolean;
  sort?: string;
}

export const PROBLEM_SORT_FIELDS = ['dueAt', 'reportedAt', 'priority', 'updatedAt'] as const;
export type ProblemSortField = (typeof PROBLEM_SORT_FIELDS)[number];

const SORT_COLUMNS: Record<ProblemSortField, { expr: string; type: KeysetType }> = {
  dueAt: { expr: 'p.due_at', type: 'timestamptz' },
  reportedAt: { expr: 'p.reported_at', type: 'timestamptz' },
  priority: { expr: 'p.priority_rank', type: 'int' },
  updatedAt: { expr: 'p.updated_at', type: 'timestamptz' },
};

/**
 * An enterprise's problems still being worked and how many of them are overdue at `now`, as one
 * JSON value `{open, overdue}`: a scalar subquery the enterprise's detail selects beside its row.
 * Both arguments are column or parameter references, never values.
 */
export function openAndOverdueSql(enterpriseId: string, now: string): string {
  return `(SELECT json_build_object('open', COUNT(*), 'overdue', COUNT(*) FILTER (WHERE ${problemOverdueSql('pw', now)}))
     FROM problems pw WHERE pw.enterprise_id = ${enterpriseId} AND ${problemWorkedSql('pw')})`;
}

/** Every query of problems and their events. */
@Injectable()
export class ProblemsRepository {
  constructor(private readonly tx: TransactionContext) {}

  /** The problems in the person's scope that match, one page of them, and how many match. */
  async findPage(
    actor: Actor,
    filter: ProblemFilter,
    page: PageRequest,
    now: Date,
  ): Promise<{ rows: ProblemRow[]; total: number; nextCursor: string | null }> {
    // Counted over problems alone (problems carry their enterprise's district): the joins for
    // display names would only cost a pass over the ledger for every match.
    const matching = this.tx.manager.getRepository(Problem).createQueryBuilder('p');
    if (actor.role === 'commissioner') matching.innerJoin(Enterprise, 'e', 'e.id = p.enterprise_id');
    const order = problemOrder(filter);
    const query = selectKeysetColumns(this.listQuery(actor, filter, now), order);
    // The cursor is read before any statement starts: a refused one leaves nothing running.
    if (page.after) {
      const after = keysetCondition(order, await cursorPosition(order, page.after));
      query.andWhere(after.sql, after.params);
    } else {
      query.offset(pageOffset(page));
    }
    const total =
      this.countFromRollups(actor, filter) ??
      countRows(this.filtered(applyScope(matching, problemScopeCondition(actor, 'p', 'e')), filter, now));
    // The count and the page side by side on the pool; one row more than the page tells whether another follows.
    const [rows, matches] = await Promise.all([
      query.limit(page.pageSize + 1).getRawMany<WithKeysetColumns<ProblemRow>>(),
      total,
    ]);
    return { ...keysetPage(order, rows, page.pageSize), total: matches };
  }

  /**
   * A list filtered by status and district alone (or not at all) is counted from
   * `problem_rollups`, as the rows would count it. A commissioner's scope (their enterprises,
   * and problems assigned to them elsewhere) and every other filter need the rows.
   */
  private countFromRollups(actor: Actor, filter: ProblemFilter): Promise<number> | null {
    const { status, districtCode, sort: _sort, ...rest } = filter;
    if (actor.role === 'commissioner') return null;
    if (Object.values(rest).some((value) => value !== undefined && value !== '')) return null;
    const scope = enterpriseScopeCondition(actor, 'r');
    const conditions = [
      scope?.sql,
      districtCode && 'r.district_code = :districtCode',
      status === 'open_or_in_progress' && `r.status IN ('open', 'in_progress')`,
      status && status !== 'all' && status !== 'open_or_in_progress' && 'r.status = :status',
    ].filter(Boolean);
    return namedQuery<{ total: number }>(
      this.tx.manager,
      `SELECT COALESCE(SUM(r.count), 0)::int AS total FROM problem_rollups r
        ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`,
      { ...scope?.params, districtCode, status },
    ).then(([row]) => row.total);
  }

  /** Every problem `findPage` would list for the filter, in its order, batch by batch through a cursor (the export). */
  findAll(actor: Actor, filter: ProblemFilter, now: Date): AsyncGenerator<ProblemRow[]> {
    const [sql, parameters] = this.listQuery(actor, filter, now).getQueryAndParameters();
    return cursorBatches<ProblemRow>(this.tx.manager.connection, sql, parameters);
  }

  /** The problem list's scope, filters and order: what a page and the export both read. */
  private listQuery(actor: Actor, filter: ProblemFilter, now: Date): SelectQueryBuilder<Problem> {
    return orderByKeyset(this.filtered(this.listed(actor), filter, now), problemOrder(filter));
  }

  /** The problem as lists show it, if the person can see it. */
  async findVisible(actor: Actor, id: string): Promise<ProblemRow | null> {
    return (await this.listed(actor).andWhere('p.id = :id', { id }).getRawOne<ProblemRow>()) ?? null;
  }

  /** A problem's timeline, oldest first, with the names of who acted. */
  eventsOf(problemId: string): Promise<ProblemEventRow[]> {
    return this.tx.manager.query<ProblemEventRow[]>(
      `SELECT ev.id, ev.type, ev.action, ev.from_status AS "fromStatus", ev.to_status AS "toStatus",
              ev.note, ev.data, ev.at, ev.actor_id AS "actorId", u.display_name AS "actorName"
         FROM problem_events ev LEFT JOIN users u ON u.id = ev.actor_id
        WHERE ev.problem_id = $1 ORDER BY ev.at, ev.id`,
      [problemId],
    );
  }

  /** The problem and its enterprise (what decides who sees it), the problem locked for a change when asked. */
  async findWithEnterprise(id: string, lock: boolean): Promise<{ problem: Problem; enterprise: Enterprise } | null> {
    const manager = this.tx.manager;
    const problem = await manager.findOne(Problem, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const enterprise = problem ? await manager.findOneBy(Enterprise, { id: problem.enterpriseId }) : null;
    return problem && enterprise ? { problem, enterprise } : null;
  }

  /**
   * Who serves the problem's enterprise now, and whether its assignee still does: they are an
   * active commissioner, and either its commissioner or one who never was (a colleague a
   * supervisor assigned the problem to keeps it). Null when the enterprise is gone.
   */
  async servingOf(problem: Pick<Problem, 'enterpriseId' | 'assigneeId'>): Promise<{
    commissionerId: string | null;
    assigneeServes: boolean;
  } | null> {
    const [row] = await this.tx.manager.query<{ commissionerId: string | null; assigneeServes: boolean }[]>(
      `SELECT e.commissioner_id AS "commissionerId",
              ($2::uuid IS NOT NULL
                AND EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.role = 'commissioner' AND u.active)
                AND (e.commissioner_id IS NOT DISTINCT FROM $2
                     OR NOT EXISTS (SELECT 1 FROM enterprise_assignments a
                                     WHERE a.enterprise_id = e.id AND a.commissioner_id = $2))) AS "assigneeServes"
         FROM enterprises e WHERE e.id = $1`,
      [problem.enterpriseId, problem.assigneeId],
    );
    return row ?? null;
  }

  /** Adds problems in one statement; answers their ids in the same order. */
  async insertMany(values: Partial<Problem>[]): Promise<string[]> {
    if (values.length === 0) return [];
    const result = await this.tx.manager.insert(Problem, values);
    return result.identifiers.map((identifier) => identifier.id as string);
  }

  async update(id: string, values: Partial<Problem>): Promise<void> {
    await this.tx.manager.update(Problem, { id }, values);
  }

  async insertEvents(events: NewProblemEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.tx.manager.insert(
      ProblemEvent,
      events.map((event) => ({
        action: null,
        fromStatus: null,
        toStatus: null,
        note: null,
        data: null,
        ...event,
      })),
    );
  }

  /**
   * Moves an enterprise's unfinished problems assigned to `from` (to nobody, when null) to `to`,
   * bumping their versions; answers the ids moved.
   */
  async handOver(enterpriseId: string, from: string | null, to: string, at: Date): Promise<string[]> {
    const moved = await this.tx.manager.query<{ id: string }[]>(
      // Wrapped in a CTE: a plain UPDATE … RETURNING comes back from TypeORM as [rows, count].
      `WITH moved AS (
         UPDATE problems SET assignee_id = $3, version = version + 1, updated_at = $4
          WHERE enterprise_id = $1 AND assignee_id IS NOT DISTINCT FROM $2 AND status = ANY($5)
          RETURNING id)
       SELECT id FROM moved`,
      [enterpriseId, from, to, at, [...UNFINISHED_PROBLEM_STATUSES]],
    );
    return moved.map(({ id }) => id);
  }

  private filtered(query: SelectQueryBuilder<Problem>, filter: ProblemFilter, now: Date): SelectQueryBuilder<Problem> {
    if (filter.status === 'open_or_in_progress') {
      query.andWhere(problemWorkedSql('p'));
    } else if (filter.status && filter.status !== 'all') {
      query.andWhere('p.status = :status', { status: filter.status });
    }
    if (filter.priority) query.andWhere('p.priority = :priority', { priority: filter.priority });
    if (filter.category) query.andWhere('p.category = :category', { category: filter.category });
    if (filter.assigneeId) query.andWhere('p.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
    if (filter.enterpriseId) query.andWhere('p.enterprise_id = :enterpriseId', { enterpriseId: filter.enterpriseId });
    if (filter.sourceVisitId) {
      query.andWhere('p.source_visit_id = :sourceVisitId', { sourceVisitId: filter.sourceVisitId });
    }
    if (filter.districtCode) query.andWhere('p.district_code = :districtCode', { districtCode: filter.districtCode });
    if (filter.overdue !== undefined) {
      const overdue = problemOverdueSql('p', ':now');
      query.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { now });
    }
    if (filter.escalated !== undefined) {
      query.andWhere(`p.escalation_level ${filter.escalated ? '>=' : '<'} :adminLevel`, {
        adminLevel: ESCALATED_TO_ADMINS_LEVEL,
      });
    }
    return query;
  }

  /** The columns a problem is shown with, narrowed to the person's scope. */
  private listed(actor: Actor): SelectQueryBuilder<Problem> {
    const query = this.tx.manager
      .getRepository(Problem)
      .createQueryBuilder('p')
      .select([])
      .innerJoin(Enterprise, 'e', 'e.id = p.enterprise_id')
      .leftJoin(User, 'a', 'a.id = p.assignee_id')
      .addSelect('p.id', 'id')
      .addSelect('p.enterprise_id', 'enterpriseId')
      .addSelect('e.name', 'enterpriseName')
      .addSelect('e.district_code', 'districtCode')
      .addSelect('p.title', 'title')
      .addSelect('p.description', 'description')
      .addSelect('p.category', 'category')
      .addSelect('p.priority', 'priority')
      .addSelect('p.assignee_id', 'assigneeId')
      .addSelect('a.display_name', 'assigneeName')
      .addSelect('p.reported_at', 'reportedAt')
      .addSelect('p.due_at', 'dueAt')
      .addSelect('p.status', 'status')
      .addSelect('p.resolution', 'resolution')
      .addSelect('p.escalation_level', 'escalationLevel')
      .addSelect('p.source_visit_id', 'sourceVisitId')
      .addSelect('p.resolved_at', 'resolvedAt')
      .addSelect('p.closed_at', 'closedAt')
      .addSelect('p.version', 'version')
      .addSelect('p.created_at', 'createdAt')
      .addSelect('p.updated_at', 'updatedAt');
    applyScope(query, problemScopeCondition(actor, 'p', 'e'));
    return query;
  }
}

/**
 * The problem list's order (and its cursors'): the sort asked for; else the review queue
 * (status resolved) longest waiting first, any other list soonest due first. The id last, in the
 * same direction, so that rows that tie keep one order from page to page.
 */
function problemOrder(filter: ProblemFilter): Keyset {
  const id = { expr: 'p.id', type: 'uuid', direction: 'ASC' } as const;
  if (filter.sort) {
    const { field, direction } = parseSort<ProblemSortField>(filter.sort, 'dueAt');
    const sort = direction === 'ASC' ? field : `-${field}`;
    return keyset('problems', sort, [
      { ...SORT_COLUMNS[field], direction },
      { ...id, direction },
    ]);
  }
  if (filter.status === 'resolved') {
    // A resolved problem always has its resolved_at (set by `resolve`, cleared when it leaves the
    // state): as a NOT NULL term the queue's cursor is a range of its index, however long it is.
    return keyset('problems', 'resolvedAt', [{ expr: 'p.resolved_at', type: 'timestamptz', direction: 'ASC' }, id]);
  }
  return keyset('problems', 'dueAt', [{ ...SORT_COLUMNS.dueAt, direction: 'ASC' }, id]);
}
