import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  Clock,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  Page,
  PageRequest,
  pageOffset,
  parseSort,
  VersionConflictError,
} from '@keydesk/common';
import {
  countRows,
  Enterprise,
  Priority,
  Problem,
  ProblemCategory,
  ProblemEvent,
  ProblemEventType,
  PROBLEM_STATUSES,
  ProblemStatus,
  User,
} from '@keydesk/database';
import { ReminderQueue } from '@keydesk/queue';
import type { Actor } from '../access/actor';
import { applyScope, canSeeProblem, problemScopeCondition } from '../access/scope';
import { recordAudit } from '../audit/audit';
import { assertEnterpriseActive } from '../enterprises/enterprise-rules';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ESCALATED_TO_ADMINS_LEVEL } from '../reminders/reminder-rules';
import { SettingsService } from '../settings/settings.service';
import { UsersService } from '../users/users.service';
import {
  assertMayActOnProblem,
  decideTransition,
  dueAtFor,
  isProblemOverdue,
  ProblemAction,
  TransitionRequest,
} from './problem-rules';
import { ProblemDetailView, ProblemEventView, ProblemView } from './problem.view';

export interface ProblemFields {
  title: string;
  description?: string;
  category: ProblemCategory;
  priority?: Priority;
  /** Default: the enterprise's commissioner. */
  assigneeId?: string;
  /** Default now; may lie in the past, never in the future. */
  reportedAt?: Date;
}

export interface UpdateProblemInput {
  title?: string;
  description?: string;
  category?: ProblemCategory;
  priority?: Priority;
  version: number;
}

/** Statuses of a problem still being worked (as `overdue` counts them). */
export const WORKED_PROBLEM_STATUSES: readonly ProblemStatus[] = ['open', 'in_progress'];

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
type ProblemSortField = (typeof PROBLEM_SORT_FIELDS)[number];
const SORT_COLUMNS: Record<ProblemSortField, string> = {
  dueAt: 'p.due_at',
  reportedAt: 'p.reported_at',
  priority: 'p.priority_rank',
  updatedAt: 'p.updated_at',
};

@Injectable()
export class ProblemsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly enterprises: EnterprisesService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly reminders: ReminderQueue,
  ) {}

  async create(actor: Actor, enterpriseId: string, input: ProblemFields): Promise<ProblemDetailView> {
    const id = await this.db.transaction(async (manager) => {
      const enterprise = await this.enterprises.lockInScope(manager, actor, enterpriseId);
      return (await this.createLocked(manager, actor, enterprise, input, null)).id;
    });
    await this.reminders.subjectsChanged([{ type: 'problem', id }]);
    return this.get(actor, id);
  }

  /** Adds a problem to an enterprise the caller has locked in scope (also used by visits). */
  async createLocked(
    manager: EntityManager,
    actor: Actor,
    enterprise: Enterprise,
    input: ProblemFields,
    sourceVisitId: string | null,
  ): Promise<Problem> {
    assertEnterpriseActive(enterprise);
    const now = this.clock.now();
    const reportedAt = input.reportedAt ?? now;
    if (reportedAt.getTime() > now.getTime()) throw InvalidInputError.field('reportedAt', 'must not be in the future');
    const assigneeId = input.assigneeId ?? enterprise.commissionerId;
    if (input.assigneeId) await UsersService.requireActiveCommissioner(manager, input.assigneeId, 'assigneeId');
    const priority = input.priority ?? 'normal';
    const { slaDays } = await this.settings.current(manager);
    const problem = await manager.save(
      manager.create(Problem, {
        enterpriseId: enterprise.id,
        title: input.title,
        description: input.description ?? '',
        category: input.category,
        priority,
        assigneeId,
        reportedAt,
        dueAt: dueAtFor(reportedAt, priority, slaDays),
        status: 'open',
        escalationLevel: 0,
        sourceVisitId,
        createdById: actor.id,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await this.recordEvent(manager, problem.id, 'created', actor, now, { toStatus: 'open' });
    await recordAudit(manager, actor, 'problem.created', { type: 'problem', id: problem.id }, now, {
      enterpriseId: enterprise.id,
    });
    return problem;
  }

  async update(actor: Actor, id: string, input: UpdateProblemInput): Promise<ProblemDetailView> {
    await this.db.transaction(async (manager) => {
      const problem = await this.lockInScope(manager, actor, id);
      assertMayActOnProblem(problem, actor, 'edit');
      if (input.version !== problem.version) throw new VersionConflictError('Problem', problem.version);
      if (problem.status === 'closed') throw new ConflictError('a problem that is closed cannot be edited');
      const { version: _version, ...fields } = input;
      const changed = Object.entries(fields).filter(
        ([field, value]) => value !== undefined && value !== problem[field as keyof Problem],
      );
      if (changed.length === 0) return;
      const now = this.clock.now();
      const next: Partial<Problem> = Object.fromEntries(changed);
      if (fields.priority && fields.priority !== problem.priority) {
        const { slaDays } = await this.settings.current(manager);
        next.dueAt = dueAtFor(problem.reportedAt, fields.priority, slaDays);
        // A new due date starts its reminders afresh; the level follows what is sent for it.
        if (next.dueAt.getTime() !== problem.dueAt.getTime()) next.escalationLevel = 0;
      }
      await manager.update(Problem, { id }, { ...next, version: problem.version + 1, updatedAt: now });
      const data: Record<string, { from: unknown; to: unknown }> = Object.fromEntries(
        changed.map(([field, value]) => [field, { from: problem[field as keyof Problem], to: value }]),
      );
      if (next.dueAt) data.dueAt = { from: problem.dueAt, to: next.dueAt };
      await this.recordEvent(manager, id, 'edited', actor, now, { data });
      await recordAudit(manager, actor, 'problem.edited', { type: 'problem', id }, now, {
        fields: changed.map(([field]) => field),
      });
    });
    await this.reminders.subjectsChanged([{ type: 'problem', id }]);
    return this.get(actor, id);
  }

  /** SPEC's state machine. Concurrent transitions serialise on the row lock: one wins, the other sees the new state. */
  async transition(
    actor: Actor,
    id: string,
    request: TransitionRequest & { version?: number },
  ): Promise<ProblemDetailView> {
    await this.db.transaction(async (manager) => {
      const problem = await this.lockInScope(manager, actor, id);
      const to = decideTransition(problem, actor, request);
      if (request.action !== 'comment' && request.version === undefined) {
        throw InvalidInputError.field('version', 'is required');
      }
      if (request.version !== undefined && request.version !== problem.version) {
        throw new VersionConflictError('Problem', problem.version);
      }
      const now = this.clock.now();
      if (request.action === 'comment') {
        await this.recordEvent(manager, id, 'comment', actor, now, { note: request.note });
        await recordAudit(manager, actor, 'problem.comment', { type: 'problem', id }, now);
        return;
      }
      const changes: Partial<Problem> = { status: to };
      let type: ProblemEventType = 'transition';
      let data: Record<string, unknown> | null = null;
      switch (request.action) {
        case 'resolve':
          changes.resolution = request.resolution!.trim();
          changes.resolvedAt = now;
          break;
        case 'approve':
          changes.closedAt = now;
          break;
        case 'reject':
          changes.resolvedAt = null;
          break;
        case 'reopen': {
          changes.closedAt = null;
          changes.resolvedAt = null;
          // Reopened work goes to whoever serves the enterprise now, not to a former commissioner.
          const assigneeId = await reopenedAssignee(manager, problem);
          if (assigneeId !== problem.assigneeId) {
            changes.assigneeId = assigneeId;
            data = { from: problem.assigneeId, to: assigneeId };
          }
          break;
        }
        case 'reassign':
          await UsersService.requireActiveCommissioner(manager, request.assigneeId!, 'assigneeId');
          changes.assigneeId = request.assigneeId!;
          type = 'reassigned';
          data = { from: problem.assigneeId, to: request.assigneeId! };
          break;
        case 'start':
          break;
      }
      await manager.update(Problem, { id }, { ...changes, version: problem.version + 1, updatedAt: now });
      await this.recordEvent(manager, id, type, actor, now, {
        action: request.action,
        fromStatus: problem.status,
        toStatus: to,
        note: request.action === 'resolve' ? request.resolution : request.note,
        data,
      });
      await recordAudit(manager, actor, `problem.${request.action}`, { type: 'problem', id }, now, {
        from: problem.status,
        to,
      });
    });
    if (request.action !== 'comment') await this.reminders.subjectsChanged([{ type: 'problem', id }]);
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ProblemDetailView> {
    const row = await this.query(actor).andWhere('p.id = :id', { id }).getRawOne<ProblemRow>();
    if (!row) throw new NotFoundError('Problem');
    const events: EventRow[] = await this.db.query(
      `SELECT ev.id, ev.type, ev.action, ev.from_status AS "fromStatus", ev.to_status AS "toStatus",
              ev.note, ev.data, ev.at, ev.actor_id AS "actorId", u.display_name AS "actorName"
         FROM problem_events ev LEFT JOIN users u ON u.id = ev.actor_id
        WHERE ev.problem_id = $1 ORDER BY ev.at, ev.id`,
      [id],
    );
    return {
      ...this.toView(row),
      events: events.map(({ actorId, actorName, ...event }): ProblemEventView => ({
        ...event,
        actor: actorId ? { id: actorId, displayName: actorName ?? '' } : null,
      })),
    };
  }

  async list(actor: Actor, filter: ProblemFilter, page: PageRequest): Promise<Page<ProblemView>> {
    const query = this.filtered(this.query(actor), filter);
    // Counted over problems alone (problems carry their enterprise's district): the joins for
    // display names would only cost a pass over the ledger for every match.
    const matching = this.db.getRepository(Problem).createQueryBuilder('p');
    if (actor.role === 'commissioner') matching.innerJoin(Enterprise, 'e', 'e.id = p.enterprise_id');
    const total = countRows(this.filtered(applyScope(matching, problemScopeCondition(actor, 'p', 'e')), filter));
    if (filter.sort) {
      const sort = parseSort<ProblemSortField>(filter.sort, 'dueAt');
      query.orderBy(SORT_COLUMNS[sort.field], sort.direction);
    } else if (filter.status === 'resolved') {
      // The review queue: whatever has waited longest comes first.
      query.orderBy('p.resolved_at', 'ASC');
    } else {
      query.orderBy('p.due_at', 'ASC');
    }
    // The count and the page side by side on the pool.
    const [rows, matches] = await Promise.all([
      query.addOrderBy('p.id', 'ASC').offset(pageOffset(page)).limit(page.pageSize).getRawMany<ProblemRow>(),
      total,
    ]);
    return { items: rows.map((row) => this.toView(row)), total: matches, ...page };
  }

  /** An enterprise's problems: 404 when the enterprise is out of scope. */
  async listForEnterprise(
    actor: Actor,
    enterpriseId: string,
    filter: ProblemFilter,
    page: PageRequest,
  ): Promise<Page<ProblemView>> {
    await this.enterprises.assertVisible(actor, enterpriseId);
    return this.list(actor, { ...filter, enterpriseId }, page);
  }

  /**
   * Whether the person may take an action (or edit) on a problem: 404 out of scope, then 403 for
   * a role that may not. The same rules the write applies; asked up front so that a refused role
   * hears 403 whatever its request body holds.
   */
  async assertMayAct(actor: Actor, id: string, action: ProblemAction | 'edit'): Promise<void> {
    assertMayActOnProblem(await this.findInScope(this.db.manager, actor, id, false), actor, action);
  }

  private lockInScope(manager: EntityManager, actor: Actor, id: string): Promise<Problem> {
    return this.findInScope(manager, actor, id, true);
  }

  /** The problem if the person can see it (locked for a change when asked); 404 otherwise. */
  private async findInScope(manager: EntityManager, actor: Actor, id: string, lock: boolean): Promise<Problem> {
    const problem = await manager.findOne(Problem, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const enterprise = problem ? await manager.findOneBy(Enterprise, { id: problem.enterpriseId }) : null;
    if (!problem || !enterprise || !canSeeProblem(actor, problem, enterprise)) throw new NotFoundError('Problem');
    return problem;
  }

  private async recordEvent(
    manager: EntityManager,
    problemId: string,
    type: ProblemEventType,
    actor: Actor | null,
    at: Date,
    details: {
      action?: string;
      fromStatus?: string;
      toStatus?: string;
      note?: string | null;
      data?: Record<string, unknown> | null;
    } = {},
  ): Promise<void> {
    await manager.insert(ProblemEvent, {
      problemId,
      type,
      action: details.action ?? null,
      fromStatus: details.fromStatus ?? null,
      toStatus: details.toStatus ?? null,
      actorId: actor?.id ?? null,
      note: details.note?.trim() || null,
      data: details.data ?? null,
      at,
    });
  }

  private filtered(query: SelectQueryBuilder<Problem>, filter: ProblemFilter): SelectQueryBuilder<Problem> {
    if (filter.status === 'open_or_in_progress') {
      query.andWhere('p.status IN (:...workedStatuses)', { workedStatuses: WORKED_PROBLEM_STATUSES });
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
      const overdue = `p.status IN ('open', 'in_progress') AND p.due_at < :now`;
      query.andWhere(filter.overdue ? overdue : `NOT (${overdue})`, { now: this.clock.now() });
    }
    if (filter.escalated !== undefined) {
      query.andWhere(`p.escalation_level ${filter.escalated ? '>=' : '<'} :adminLevel`, {
        adminLevel: ESCALATED_TO_ADMINS_LEVEL,
      });
    }
    return query;
  }

  private query(actor: Actor): SelectQueryBuilder<Problem> {
    const query = this.db
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

  private toView(row: ProblemRow): ProblemView {
    const { enterpriseName, districtCode, assigneeName, ...rest } = row;
    return {
      ...rest,
      enterprise: { id: row.enterpriseId, name: enterpriseName, districtCode },
      assignee: row.assigneeId ? { id: row.assigneeId, displayName: assigneeName ?? '' } : null,
      overdue: isProblemOverdue(row, this.clock.now()),
    };
  }
}

/**
 * Who a reopened problem goes to: its assignee while they still serve the enterprise, else the
 * enterprise's commissioner now. An assignee no longer serves it when they are no longer an active
 * commissioner, or when they were the enterprise's commissioner and it has since moved on (a
 * colleague a supervisor assigned the problem to, on an enterprise that is not theirs, keeps it).
 */
async function reopenedAssignee(manager: EntityManager, problem: Problem): Promise<string | null> {
  const [row]: { commissionerId: string | null; serves: boolean }[] = await manager.query(
    `SELECT e.commissioner_id AS "commissionerId",
            ($2::uuid IS NOT NULL
              AND EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.role = 'commissioner' AND u.active)
              AND (e.commissioner_id IS NOT DISTINCT FROM $2
                   OR NOT EXISTS (SELECT 1 FROM enterprise_assignments a
                                   WHERE a.enterprise_id = e.id AND a.commissioner_id = $2))) AS serves
       FROM enterprises e WHERE e.id = $1`,
    [problem.enterpriseId, problem.assigneeId],
  );
  if (!row || row.serves || row.commissionerId === null) return problem.assigneeId;
  return row.commissionerId;
}

interface ProblemRow extends Omit<ProblemView, 'enterprise' | 'assignee' | 'overdue'> {
  enterpriseName: string;
  districtCode: string;
  assigneeName: string | null;
}

interface EventRow extends Omit<ProblemEventView, 'actor'> {
  actorId: string | null;
  actorName: string | null;
}
