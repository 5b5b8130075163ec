import { Injectable } from '@nestjs/common';
import {
  Clock,
  ConflictError,
  FieldError,
  InvalidInputError,
  CursorPage,
  NotFoundError,
  pageOf,
  PageRequest,
  VersionConflictError,
} from '@keydesk/common';
import { Enterprise, mapBatches, Priority, Problem, ProblemCategory, ProblemEventType } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { canSeeProblem } from '../access/scope';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { AuditRepository } from '../repositories/audit.repository';
import { ProblemFilter, ProblemRow, ProblemsRepository } from '../repositories/problems.repository';
import { UsersRepository } from '../repositories/users.repository';
import { assertEnterpriseActive } from '../rules/enterprise-rules';
import {
  assertMayActOnProblem,
  decideTransition,
  dueAtFor,
  isProblemOverdue,
  ProblemAction,
  problemFieldErrors,
  TransitionRequest,
  transitionFieldErrors,
} from '../rules/problem-rules';
import { SettingsService } from '../settings/settings.service';
import { TransactionContext } from '../transactions/transaction-context';
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

@Injectable()
export class ProblemsService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly problems: ProblemsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly enterprises: EnterprisesService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, enterpriseId: string, input: ProblemFields): Promise<ProblemDetailView> {
    const [id] = await this.tx.run(async () => {
      const enterprise = await this.enterprises.lockInScope(actor, enterpriseId);
      return this.createManyLocked(actor, enterprise, [input], null);
    });
    return this.get(actor, id);
  }

  /**
   * Adds problems to an enterprise the caller has locked in scope (one, or a visit's): one
   * insert each for the problems, their `created` events and their audit, however many there
   * are, since every statement here runs under the enterprise's lock. With `listField`
   * (`problems`), an invalid item's errors are named by its place in that list.
   */
  createManyLocked(
    actor: Actor,
    enterprise: Enterprise,
    inputs: ProblemFields[],
    sourceVisitId: string | null,
    listField?: string,
  ): Promise<string[]> {
    return this.tx.run(async () => {
      if (inputs.length === 0) return [];
      assertEnterpriseActive(enterprise);
      const now = this.clock.now();
      for (const [index, input] of inputs.entries()) {
        await InvalidInputError.within(listField && `${listField}.${index}`, async () => {
          const errors: FieldError[] = problemFieldErrors(input);
          if ((input.reportedAt ?? now).getTime() > now.getTime())
            errors.push({ field: 'reportedAt', message: 'must not be in the future' });
          if (errors.length) throw InvalidInputError.fields(errors);
          if (input.assigneeId) await this.users.requireActiveCommissioner(input.assigneeId, 'assigneeId');
        });
      }
      const { slaDays } = await this.settings.current();
      const ids = await this.problems.insertMany(
        inputs.map((input) => {
          const reportedAt = input.reportedAt ?? now;
          const priority = input.priority ?? 'normal';
          return {
            enterpriseId: enterprise.id,
            title: input.title,
            description: input.description ?? '',
            category: input.category,
            priority,
            assigneeId: input.assigneeId ?? enterprise.commissionerId,
            reportedAt,
            dueAt: dueAtFor(reportedAt, priority, slaDays),
            status: 'open' as const,
            escalationLevel: 0,
            sourceVisitId,
            createdById: actor.id,
            version: 1,
            createdAt: now,
            updatedAt: now,
          };
        }),
      );
      await this.problems.insertEvents(
        ids.map((problemId) => ({ problemId, type: 'created' as const, actorId: actor.id, at: now, toStatus: 'open' })),
      );
      await this.audit.recordMany(
        actor,
        'problem.created',
        ids.map((id) => ({ entity: { type: 'problem', id }, details: { enterpriseId: enterprise.id } })),
        now,
      );
      this.tx.publish({ type: 'problems.changed', problemIds: ids });
      return ids;
    });
  }

  async update(actor: Actor, id: string, input: UpdateProblemInput): Promise<ProblemDetailView> {
    await this.tx.run(async () => {
      const problem = await this.lockInScope(actor, id);
      assertMayActOnProblem(problem, actor, 'edit');
      if (input.version !== problem.version) throw new VersionConflictError('Problem', problem.version);
      if (problem.status === 'closed') throw new ConflictError('a problem that is closed cannot be edited');
      const { version: _version, ...fields } = input;
      const errors = problemFieldErrors(fields);
      if (errors.length) throw InvalidInputError.fields(errors);
      // Its reminders are checked again whether or not a field changes.
      this.tx.publish({ type: 'problems.changed', problemIds: [id] });
      const changed = Object.entries(fields).filter(
        ([field, value]) => value !== undefined && value !== problem[field as keyof Problem],
      );
      if (changed.length === 0) return;
      const now = this.clock.now();
      const next: Partial<Problem> = Object.fromEntries(changed);
      if (fields.priority && fields.priority !== problem.priority) {
        const { slaDays } = await this.settings.current();
        next.dueAt = dueAtFor(problem.reportedAt, fields.priority, slaDays);
        // A new due date starts its reminders afresh; the level follows what is sent for it.
        if (next.dueAt.getTime() !== problem.dueAt.getTime()) next.escalationLevel = 0;
      }
      await this.problems.update(id, { ...next, version: problem.version + 1, updatedAt: now });
      const data: Record<string, { from: unknown; to: unknown }> = Object.fromEntries(
        changed.map(([field, value]) => [field, { from: problem[field as keyof Problem], to: value }]),
      );
      if (next.dueAt) data.dueAt = { from: problem.dueAt, to: next.dueAt };
      await this.recordEvent(id, 'edited', actor, now, { data });
      await this.audit.record(actor, 'problem.edited', { type: 'problem', id }, now, {
        fields: changed.map(([field]) => field),
      });
    });
    return this.get(actor, id);
  }

  /** SPEC's state machine. Concurrent transitions serialise on the row lock: one wins, the other sees the new state. */
  async transition(
    actor: Actor,
    id: string,
    request: TransitionRequest & { version?: number },
  ): Promise<ProblemDetailView> {
    await this.tx.run(async () => {
      const problem = await this.lockInScope(actor, id);
      const to = decideTransition(problem, actor, request);
      if (request.action !== 'comment' && request.version === undefined) {
        throw InvalidInputError.field('version', 'is required');
      }
      if (request.version !== undefined && request.version !== problem.version) {
        throw new VersionConflictError('Problem', problem.version);
      }
      const errors = transitionFieldErrors(request);
      if (errors.length) throw InvalidInputError.fields(errors);
      const now = this.clock.now();
      if (request.action === 'comment') {
        await this.recordEvent(id, 'comment', actor, now, { note: request.note });
        await this.audit.record(actor, 'problem.comment', { type: 'problem', id }, now);
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
          const assigneeId = await this.reopenedAssignee(problem);
          if (assigneeId !== problem.assigneeId) {
            changes.assigneeId = assigneeId;
            data = { from: problem.assigneeId, to: assigneeId };
          }
          break;
        }
        case 'reassign':
          await this.users.requireActiveCommissioner(request.assigneeId!, 'assigneeId');
          changes.assigneeId = request.assigneeId!;
          type = 'reassigned';
          data = { from: problem.assigneeId, to: request.assigneeId! };
          break;
        case 'start':
          break;
      }
      await this.problems.update(id, { ...changes, version: problem.version + 1, updatedAt: now });
      await this.recordEvent(id, type, actor, now, {
        action: request.action,
        fromStatus: problem.status,
        toStatus: to,
        note: request.action === 'resolve' ? request.resolution : request.note,
        data,
      });
      await this.audit.record(actor, `problem.${request.action}`, { type: 'problem', id }, now, {
        from: problem.status,
        to,
      });
      this.tx.publish({ type: 'problems.changed', problemIds: [id] });
    });
    return this.get(actor, id);
  }

  /**
   * When an enterprise changes commissioner, its unfinished problems assigned to the old one
   * (or to nobody, when it had none) follow it to the new one, each with a `reassigned` event.
   * Runs in the reassignment's transaction; answers the ids moved.
   */
  handOver(
    actor: Actor,
    enterpriseId: string,
    from: string | null,
    to: string,
    reason: string,
    at: Date,
  ): Promise<string[]> {
    return this.tx.run(async () => {
      const moved = await this.problems.handOver(enterpriseId, from, to, at);
      if (moved.length === 0) return [];
      await this.problems.insertEvents(
        moved.map((problemId) => ({
          problemId,
          type: 'reassigned' as const,
          action: 'reassign',
          actorId: actor.id,
          note: `enterprise handed over: ${reason}`,
          data: { from, to },
          at,
        })),
      );
      // What was due to the old commissioner is now due to the new one.
      this.tx.publish({ type: 'problems.changed', problemIds: moved });
      return moved;
    });
  }

  async get(actor: Actor, id: string): Promise<ProblemDetailView> {
    const row = await this.problems.findVisible(actor, id);
    if (!row) throw new NotFoundError('Problem');
    const events = await this.problems.eventsOf(id);
    return {
      ...this.toView(row),
      events: events.map(({ actorId, actorName, ...event }): ProblemEventView => ({
        ...event,
        actor: actorId ? { id: actorId, displayName: actorName ?? '' } : null,
      })),
    };
  }

  async list(actor: Actor, filter: ProblemFilter, page: PageRequest): Promise<CursorPage<ProblemView>> {
    const { rows, total, nextCursor } = await this.problems.findPage(actor, filter, page, this.clock.now());
    return pageOf(
      rows.map((row) => this.toView(row)),
      total,
      page,
      nextCursor,
    );
  }

  /**
   * Every problem the list shows for the filter, in its order, batch by batch (the export), each
   * judged overdue at the one moment the rows were chosen at; read as it is iterated.
   */
  listAll(actor: Actor, filter: ProblemFilter): AsyncIterable<ProblemView[]> {
    const now = this.clock.now();
    return mapBatches(this.problems.findAll(actor, filter, now), (row) => this.toView(row, now));
  }

  /** An enterprise's problems: 404 when the enterprise is out of scope. */
  async listForEnterprise(
    actor: Actor,
    enterpriseId: string,
    filter: ProblemFilter,
    page: PageRequest,
  ): Promise<CursorPage<ProblemView>> {
    await this.enterprises.assertVisible(actor, enterpriseId);
    return this.list(actor, { ...filter, enterpriseId }, page);
  }

  /**
   * Whether the person may take an action (or edit) on a problem: 404 out of scope, then 403 for
   * a role that may not. The same rules the write applies; asked up front so that a refused role
   * hears 403 whatever its request body holds.
   */
  async assertMayAct(actor: Actor, id: string, action: ProblemAction | 'edit'): Promise<void> {
    assertMayActOnProblem(await this.findInScope(actor, id, false), actor, action);
  }

  private lockInScope(actor: Actor, id: string): Promise<Problem> {
    return this.findInScope(actor, id, true);
  }

  /** The problem if the person can see it (locked for a change when asked); 404 otherwise. */
  private async findInScope(actor: Actor, id: string, lock: boolean): Promise<Problem> {
    const found = await this.problems.findWithEnterprise(id, lock);
    if (!found || !canSeeProblem(actor, found.problem, found.enterprise)) throw new NotFoundError('Problem');
    return found.problem;
  }

  /**
   * Who a reopened problem goes to: its assignee while they still serve the enterprise, else the
   * enterprise's commissioner now. An assignee no longer serves it when they are no longer an active
   * commissioner, or when they were the enterprise's commissioner and it has since moved on (a
   * colleague a supervisor assigned the problem to, on an enterprise that is not theirs, keeps it).
   */
  private async reopenedAssignee(problem: Problem): Promise<string | null> {
    const serving = await this.problems.servingOf(problem);
    if (!serving || serving.assigneeServes || serving.commissionerId === null) return problem.assigneeId;
    return serving.commissionerId;
  }

  private async recordEvent(
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
    await this.problems.insertEvents([
      {
        problemId,
        type,
        action: details.action ?? null,
        fromStatus: details.fromStatus ?? null,
        toStatus: details.toStatus ?? null,
        actorId: actor?.id ?? null,
        note: details.note?.trim() || null,
        data: details.data ?? null,
        at,
      },
    ]);
  }

  private toView(row: ProblemRow, now = this.clock.now()): ProblemView {
    const { enterpriseName, districtCode, assigneeName, ...rest } = row;
    return {
      ...rest,
      enterprise: { id: row.enterpriseId, name: enterpriseName, districtCode },
      assignee: row.assigneeId ? { id: row.assigneeId, displayName: assigneeName ?? '' } : null,
      overdue: isProblemOverdue(row, now),
    };
  }
}
