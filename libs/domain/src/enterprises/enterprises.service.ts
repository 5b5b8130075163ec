import { Injectable } from '@nestjs/common';
import {
  Clock,
  ConflictError,
  CursorPage,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  pageOf,
  PageRequest,
  parseSort,
  VersionConflictError,
} from '@keydesk/common';
import {
  mapBatches,
  type Enterprise,
  type EnterpriseStatus,
  type FieldChanges,
  type JsonValue,
  type Tier,
} from '@keydesk/database';
import type { Actor } from '../access/actor';
import { canManageDistrict, canSeeEnterprise, isManager } from '../access/scope';
import { AuditRepository } from '../repositories/audit.repository';
import {
  EnterpriseListCriteria,
  EnterpriseRow,
  EnterpriseSortField,
  EnterprisesRepository,
} from '../repositories/enterprises.repository';
import { ReferenceRepository } from '../repositories/reference.repository';
import { UsersRepository } from '../repositories/users.repository';
import {
  assignmentReasonError,
  diffFields,
  effectiveVisitCadenceDays,
  EnterpriseEditableField,
  EnterpriseFields,
  enterpriseFieldErrors,
  fieldsRoleMayNotEdit,
  visitDueCutoff,
} from '../rules/enterprise-rules';
import { reminderBaseCutoff, reminderRule } from '../rules/reminder-rules';
import { SettingsService } from '../settings/settings.service';
import { TransactionContext } from '../transactions/transaction-context';
import {
  EnterpriseAssignmentView,
  EnterpriseListItemView,
  EnterpriseRevisionView,
  EnterpriseView,
} from './enterprise.view';

export interface EnterpriseFilter {
  q?: string;
  districtCode?: string;
  industryCode?: string;
  tier?: Tier;
  commissionerId?: string;
  /** `all` lists both; the default is `active`. */
  status?: EnterpriseStatus | 'all';
  hasShortage?: boolean;
  visitOverdue?: boolean;
  /** Whether a commissioner serves the enterprise. */
  hasCommissioner?: boolean;
  /** Active enterprises whose next visit is due before now + this many days (overdue ones included). */
  visitDueWithinDays?: number;
  /** Open demands, none updated within the `demand_stale` reminder's window (false: every other enterprise). */
  demandsStale?: boolean;
  sort?: string;
}

/** A row of the ledger's export: the list's row and the commissioner's account name, which an import reads back. */
export interface EnterpriseExportItem extends EnterpriseListItemView {
  commissionerUsername: string | null;
}

export interface CreateEnterpriseInput extends EnterpriseFields {
  commissionerId?: string;
}

export type UpdateEnterpriseInput = Partial<EnterpriseFields> & { version: number };

export interface AssignCommissionerInput {
  commissionerId: string;
  reason: string;
  /** The enterprise's version last read. */
  version: number;
}

/** What a reassignment changed: the commissioner the enterprise had, and when it changed hands. */
export interface Reassignment {
  previous: string | null;
  at: Date;
}

const INITIAL_ASSIGNMENT_REASON = 'initial assignment';

@Injectable()
export class EnterprisesService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly enterprises: EnterprisesRepository,
    private readonly reference: ReferenceRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: EnterpriseFilter, page: PageRequest): Promise<CursorPage<EnterpriseListItemView>> {
    const criteria = await this.listCriteria(filter);
    const [{ rows, total, nextCursor }, settings] = await Promise.all([
      this.enterprises.findPage(actor, criteria, page),
      this.settings.current(actor.settingsVersion),
    ]);
    const cadence = settings.visitCadenceDays;
    return pageOf(
      rows.map((row) => toListItem(row, cadence)),
      total,
      page,
      nextCursor,
    );
  }

  /**
   * Every enterprise the list shows for the filter, in its order, batch by batch (the ledger's
   * export), each with its commissioner's account name. The criteria and the settings are worked
   * out here; the rows are read only as the result is iterated.
   */
  async listAll(actor: Actor, filter: EnterpriseFilter): Promise<AsyncIterable<EnterpriseExportItem[]>> {
    const [criteria, settings] = await Promise.all([this.listCriteria(filter), this.settings.current()]);
    return mapBatches(this.enterprises.findAll(actor, criteria), ({ commissionerUsername, ...row }) => ({
      ...toListItem(row, settings.visitCadenceDays),
      commissionerUsername,
    }));
  }

  /** The filter with its moments worked out: the list agrees with the reminders that point at it. */
  private async listCriteria(filter: EnterpriseFilter): Promise<EnterpriseListCriteria> {
    const { visitDueWithinDays, demandsStale, sort, ...plain } = filter;
    const now = this.clock.now();
    const criteria: EnterpriseListCriteria = {
      ...plain,
      status: filter.status ?? 'active',
      now,
      sort: parseSort<EnterpriseSortField>(sort, 'name'),
    };
    if (visitDueWithinDays !== undefined) criteria.visitDueBefore = visitDueCutoff(visitDueWithinDays, now);
    if (demandsStale !== undefined) {
      // The demand_stale reminder's own rule: its window comes from settings.
      const offsets = (await this.settings.current()).reminderOffsets;
      criteria.demandsStale = {
        stale: demandsStale,
        before: reminderBaseCutoff(reminderRule('demand_stale'), offsets, now),
      };
    }
    return criteria;
  }

  async get(actor: Actor, id: string): Promise<EnterpriseView> {
    const [row, settings] = await Promise.all([
      this.enterprises.findDetailInScope(actor, id, this.clock.now()),
      this.settings.current(actor.settingsVersion),
    ]);
    if (!row) throw new NotFoundError('Enterprise');
    const { vacancyStructure, problems, ...enterprise } = row;
    return {
      ...toListItem(enterprise, settings.visitCadenceDays),
      vacancyStructure,
      openProblems: problems.open,
      overdueProblems: problems.overdue,
    };
  }

  async create(actor: Actor, input: CreateEnterpriseInput): Promise<EnterpriseView> {
    if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins add enterprises to the ledger');
    const fields: EnterpriseFields = {
      name: input.name,
      creditCode: input.creditCode,
      industryCode: input.industryCode,
      districtCode: input.districtCode,
      address: input.address,
      tier: input.tier,
      employeeCount: input.employeeCount,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      visitCadenceDays: input.visitCadenceDays ?? null,
    };
    checkFields(fields);
    if (!canManageDistrict(actor, input.districtCode)) {
      throw new ForbiddenError(`district ${input.districtCode} is outside your districts`);
    }
    const commissionerId = input.commissionerId ?? null;
    const id = await this.tx.run(async () => {
      await this.assertReferences(input);
      if (commissionerId) await this.users.requireActiveCommissioner(commissionerId);
      const now = this.clock.now();
      const enterprise = await this.enterprises.insert({
        ...fields,
        commissionerId,
        status: 'active',
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const changes = diffFields({}, { ...fields, commissionerId });
      await this.recordRevision(actor, enterprise, 'created', changes, now);
      if (commissionerId) {
        await this.enterprises.insertAssignment({
          enterpriseId: enterprise.id,
          commissionerId,
          previousCommissionerId: null,
          reason: INITIAL_ASSIGNMENT_REASON,
          assignedById: actor.id,
          assignedAt: now,
        });
      }
      return enterprise.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, input: UpdateEnterpriseInput): Promise<EnterpriseView> {
    const { version, ...patch } = input;
    const fields = Object.keys(patch).filter(
      (field) => patch[field as keyof typeof patch] !== undefined,
    ) as EnterpriseEditableField[];
    await this.tx.run(async () => {
      const enterprise = await this.lockInScope(actor, id);
      checkFields(patch);
      const forbidden = fieldsRoleMayNotEdit(actor.role, fields);
      if (forbidden.length > 0) {
        throw new ForbiddenError(`a ${actor.role} may not change ${forbidden.join(', ')}`);
      }
      if (version !== enterprise.version) throw new VersionConflictError('Enterprise', enterprise.version);
      if (patch.districtCode !== undefined && !canManageDistrict(actor, patch.districtCode)) {
        throw new ForbiddenError(`district ${patch.districtCode} is outside your districts`);
      }
      this.tx.publish({ type: 'enterprise.changed', enterpriseId: id });
      const changes = diffFields(enterprise, patch);
      if (Object.keys(changes).length === 0) return;
      await this.assertReferences({ industryCode: patch.industryCode, districtCode: patch.districtCode });
      await this.applyChanges(actor, enterprise, changes, 'updated');
      if ('tier' in changes || 'visitCadenceDays' in changes) await this.refreshVisitSchedule([id]);
    });
    return this.get(actor, id);
  }

  async archive(actor: Actor, id: string): Promise<EnterpriseView> {
    return this.changeStatus(actor, id, 'archived');
  }

  async restore(actor: Actor, id: string): Promise<EnterpriseView> {
    return this.changeStatus(actor, id, 'active');
  }

  /**
   * The ledger's part of handing an enterprise to another commissioner (`ReassignEnterpriseWorkflow`
   * moves its problems in the same transaction): the enterprise leaves the old commissioner's
   * scope at once, and the assignment history keeps the change. Takes the version last read, like
   * every versioned write: of two reassignments made from one reading, one wins. Null when the
   * commissioner stays the same.
   */
  async reassign(actor: Actor, id: string, input: AssignCommissionerInput): Promise<Reassignment | null> {
    const { commissionerId, reason, version } = input;
    return this.tx.run(async () => {
      const enterprise = await this.lockInScope(actor, id);
      if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins assign commissioners');
      const reasonError = assignmentReasonError(reason);
      if (reasonError) throw InvalidInputError.field('reason', reasonError);
      await this.users.requireActiveCommissioner(commissionerId);
      if (version !== enterprise.version) throw new VersionConflictError('Enterprise', enterprise.version);
      // What was due to the old commissioner is now due to the new one.
      this.tx.publish({ type: 'enterprise.changed', enterpriseId: id });
      if (enterprise.commissionerId === commissionerId) return null;
      const previous = enterprise.commissionerId;
      const at = await this.applyChanges(
        actor,
        enterprise,
        { commissionerId: { from: previous, to: commissionerId } },
        'reassigned',
        { reason },
      );
      await this.enterprises.insertAssignment({
        enterpriseId: id,
        commissionerId,
        previousCommissionerId: previous,
        reason,
        assignedById: actor.id,
        assignedAt: at,
      });
      return { previous, at };
    });
  }

  async history(actor: Actor, id: string, page: PageRequest): Promise<CursorPage<EnterpriseRevisionView>> {
    await this.assertVisible(actor, id);
    const { rows, total, nextCursor } = await this.enterprises.revisionsPage(id, page);
    const items = rows.map((row) => ({
      id: row.id,
      action: row.action,
      actor: userRef(row.actorId, row.actorName),
      changedAt: row.changedAt,
      version: row.version,
      changes: row.changes,
    }));
    return pageOf(items, total, page, nextCursor);
  }

  async assignments(actor: Actor, id: string): Promise<EnterpriseAssignmentView[]> {
    await this.assertVisible(actor, id);
    const rows = await this.enterprises.assignmentsOf(id);
    return rows.map((row) => ({
      id: row.id,
      commissioner: { id: row.commissionerId, displayName: row.commissionerName },
      previousCommissioner: userRef(row.previousId, row.previousName),
      reason: row.reason,
      assignedBy: userRef(row.assignedById, row.assignedByName),
      assignedAt: row.assignedAt,
    }));
  }

  /**
   * 404 unless the enterprise exists and is in the caller's scope: one indexed lookup, for the
   * routes under an enterprise that need no more of it.
   */
  async assertVisible(actor: Actor, id: string): Promise<void> {
    if (!(await this.enterprises.existsInScope(actor, id))) throw new NotFoundError('Enterprise');
  }

  /**
   * Whether the person may manage the enterprise (assign, archive, restore): 404 out of scope,
   * then 403 unless a supervisor or admin. Asked before a request body is validated.
   */
  async assertMayManage(actor: Actor, id: string): Promise<void> {
    await this.assertVisible(actor, id);
    if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins manage an enterprise');
  }

  /** Locks the enterprise for a change, in the caller's transaction; out of scope is indistinguishable from absent. */
  async lockInScope(actor: Actor, id: string): Promise<Enterprise> {
    const enterprise = await this.enterprises.findLocked(id);
    if (!enterprise || !canSeeEnterprise(actor, enterprise)) throw new NotFoundError('Enterprise');
    return enterprise;
  }

  /**
   * Writes field changes to a locked enterprise with the revision and the audit event that
   * go with them, bumping its version. Used by every change to the ledger, including a
   * visit's headcount snapshot, so that history is complete.
   */
  async applyChanges(
    actor: Actor,
    enterprise: Enterprise,
    changes: FieldChanges,
    action: string,
    details: Record<string, JsonValue> = {},
  ): Promise<Date> {
    const now = this.clock.now();
    const values = Object.fromEntries(Object.entries(changes).map(([field, { to }]) => [field, to]));
    Object.assign(enterprise, values, { version: enterprise.version + 1, updatedAt: now });
    await this.enterprises.update(enterprise, { ...values, version: enterprise.version, updatedAt: now });
    await this.recordRevision(actor, enterprise, action, changes, now, details);
    return now;
  }

  /** Recomputes the enterprise's shortage from its open demands, in the caller's transaction. */
  async refreshShortage(enterpriseId: string): Promise<void> {
    await this.enterprises.refreshShortage(enterpriseId);
  }

  /** Recomputes the enterprises' last and next visit, with the cadences in force, in the caller's transaction. */
  async refreshVisitSchedule(enterpriseIds: string[]): Promise<void> {
    if (enterpriseIds.length === 0) return;
    const { visitCadenceDays } = await this.settings.current();
    await this.enterprises.refreshVisitSchedule(enterpriseIds, visitCadenceDays);
  }

  /** A tier's default cadence changed: every visited enterprise that follows its tier's default moves its next visit. */
  async refreshDefaultCadenceSchedules(cadenceByTier: Record<Tier, number>): Promise<void> {
    await this.enterprises.refreshVisitSchedule(await this.enterprises.idsOnTierDefaultCadence(), cadenceByTier);
  }

  private async changeStatus(actor: Actor, id: string, status: EnterpriseStatus): Promise<EnterpriseView> {
    await this.tx.run(async () => {
      const enterprise = await this.lockInScope(actor, id);
      if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins archive or restore enterprises');
      if (enterprise.status === status) throw new ConflictError(`the enterprise is already ${status}`);
      await this.applyChanges(
        actor,
        enterprise,
        { status: { from: enterprise.status, to: status } },
        status === 'archived' ? 'archived' : 'restored',
      );
      this.tx.publish({ type: 'enterprise.changed', enterpriseId: id });
    });
    return this.get(actor, id);
  }

  private async recordRevision(
    actor: Actor,
    enterprise: Enterprise,
    action: string,
    changes: FieldChanges,
    at: Date,
    details: Record<string, JsonValue> = {},
  ): Promise<void> {
    await this.enterprises.insertRevision({
      enterpriseId: enterprise.id,
      actorId: actor.id,
      action,
      changes,
      version: enterprise.version,
      changedAt: at,
    });
    await this.audit.record(actor, `enterprise.${action}`, { type: 'enterprise', id: enterprise.id }, at, {
      fields: Object.keys(changes),
      ...details,
    });
  }

  /** Unknown reference codes are bad input (400), named by field. */
  private async assertReferences(codes: { industryCode?: string; districtCode?: string }): Promise<void> {
    if (codes.industryCode && !(await this.reference.isKnownIndustry(codes.industryCode))) {
      throw InvalidInputError.field('industryCode', 'is not a known industry code');
    }
    if (codes.districtCode && !(await this.reference.isKnownDistrict(codes.districtCode))) {
      throw InvalidInputError.field('districtCode', 'is not a known district code');
    }
  }
}

/** The ledger's own checks of the fields sent (the API's DTOs make the same ones first): a 400 naming every fault. */
function checkFields(fields: Partial<EnterpriseFields>): void {
  const errors = enterpriseFieldErrors(fields);
  if (errors.length > 0) throw InvalidInputError.fields(errors);
}

function userRef(id: string | null, displayName: string | null) {
  return id ? { id, displayName: displayName ?? '' } : null;
}

function toListItem(row: EnterpriseRow, cadenceByTier: Record<Tier, number>): EnterpriseListItemView {
  const { commissionerName, visitCadenceDays, ...rest } = row;
  return {
    ...rest,
    visitCadenceDays: effectiveVisitCadenceDays({ visitCadenceDays, tier: row.tier }, cadenceByTier),
    customVisitCadence: visitCadenceDays !== null,
    commissioner: userRef(row.commissionerId, commissionerName),
  };
}
