import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  Clock,
  ConflictError,
  escapeLike,
  ForbiddenError,
  InvalidInputError,
  isUniqueViolation,
  NotFoundError,
  Page,
  PageRequest,
  pageOffset,
  parseSort,
  VersionConflictError,
} from '@keydesk/common';
import {
  countRows,
  namedQuery,
  District,
  Enterprise,
  EnterpriseAssignment,
  EnterpriseRevision,
  EnterpriseStatus,
  FieldChanges,
  Industry,
  Tier,
  User,
} from '@keydesk/database';
import { ReminderQueue } from '@keydesk/queue';
import type { Actor } from '../access/actor';
import { applyScope, canManageDistrict, canSeeEnterprise, enterpriseScopeCondition, isManager } from '../access/scope';
import { recordAudit } from '../audit/audit';
import { handOverProblems } from '../problems/problem-handover';
import { reminderBaseCutoff, reminderRule } from '../reminders/reminder-rules';
import { visitDueCutoff } from '../visits/visit-rules';
import { refreshVisitSchedule } from './enterprise-derived';
import { SettingsService } from '../settings/settings.service';
import { UsersService } from '../users/users.service';
import {
  diffFields,
  effectiveVisitCadenceDays,
  EnterpriseEditableField,
  fieldsRoleMayNotEdit,
} from './enterprise-rules';
import {
  EnterpriseAssignmentView,
  EnterpriseListItemView,
  EnterpriseRevisionView,
  EnterpriseView,
} from './enterprise.view';

export const ENTERPRISE_SORT_FIELDS = ['name', 'employeeCount', 'updatedAt', 'nextVisitDueAt', 'shortage'] as const;
export type EnterpriseSortField = (typeof ENTERPRISE_SORT_FIELDS)[number];

const SORT_COLUMNS: Record<EnterpriseSortField, string> = {
  name: 'e.name',
  employeeCount: 'e.employee_count',
  updatedAt: 'e.updated_at',
  nextVisitDueAt: 'e.next_visit_due_at',
  shortage: 'e.shortage',
};

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

export interface EnterpriseFields {
  name: string;
  creditCode: string;
  industryCode: string;
  districtCode: string;
  address: string;
  tier: Tier;
  employeeCount: number;
  contactName: string;
  contactPhone: string;
  /** Null or absent: the tier's default from settings. */
  visitCadenceDays?: number | null;
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

const INITIAL_ASSIGNMENT_REASON = 'initial assignment';

@Injectable()
export class EnterprisesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly reminders: ReminderQueue,
  ) {}

  async list(actor: Actor, filter: EnterpriseFilter, page: PageRequest): Promise<Page<EnterpriseListItemView>> {
    const query = this.scopedQuery(actor, this.db.manager);
    const status = filter.status ?? 'active';
    if (status !== 'all') query.andWhere('e.status = :status', { status });
    if (filter.q) {
      query.andWhere('(e.name ILIKE :q OR e.credit_code ILIKE :q)', { q: `%${escapeLike(filter.q.trim())}%` });
    }
    if (filter.districtCode) query.andWhere('e.district_code = :districtCode', { districtCode: filter.districtCode });
    if (filter.industryCode) query.andWhere('e.industry_code = :industryCode', { industryCode: filter.industryCode });
    if (filter.tier) query.andWhere('e.tier = :tier', { tier: filter.tier });
    if (filter.commissionerId) {
      query.andWhere('e.commissioner_id = :commissionerId', { commissionerId: filter.commissionerId });
    }
    if (filter.hasShortage !== undefined) query.andWhere(filter.hasShortage ? 'e.shortage > 0' : 'e.shortage = 0');
    if (filter.visitOverdue !== undefined) {
      query.andWhere(
        filter.visitOverdue
          ? 'e.next_visit_due_at < :now'
          : '(e.next_visit_due_at IS NULL OR e.next_visit_due_at >= :now)',
        { now: this.clock.now() },
      );
    }
    if (filter.hasCommissioner !== undefined) {
      query.andWhere(filter.hasCommissioner ? 'e.commissioner_id IS NOT NULL' : 'e.commissioner_id IS NULL');
    }
    // Archived enterprises are due no visit and have no stale list: they get no reminders either.
    if (filter.visitDueWithinDays !== undefined) {
      query.andWhere(`e.status = 'active' AND e.next_visit_due_at < :visitDueBefore`, {
        visitDueBefore: visitDueCutoff(filter.visitDueWithinDays, this.clock.now()),
      });
    }
    if (filter.demandsStale !== undefined) {
      // The demand_stale reminder's own rule: the last update of the open demands, its window from settings.
      const offsets = (await this.settings.current()).reminderOffsets;
      const stale = `e.status = 'active' AND e.id IN (
        SELECT dm.enterprise_id FROM demands dm WHERE dm.status = 'open'
         GROUP BY dm.enterprise_id HAVING max(dm.updated_at) <= :demandsStaleBefore)`;
      query.andWhere(filter.demandsStale ? `(${stale})` : `NOT (${stale})`, {
        demandsStaleBefore: reminderBaseCutoff(reminderRule('demand_stale'), offsets, this.clock.now()),
      });
    }

    const sort = parseSort<EnterpriseSortField>(filter.sort, 'name');
    const ordered = <Q extends SelectQueryBuilder<Enterprise>>(q: Q): Q =>
      q
        .orderBy(SORT_COLUMNS[sort.field], sort.direction, sort.direction === 'ASC' ? 'NULLS LAST' : 'NULLS FIRST')
        .addOrderBy('e.id', 'ASC');
    // The page's ids are found from the ledger table (and its index) alone; the joins then run
    // for those rows only, so a deep page does not join every row it skips. One round trip.
    const pageIds = ordered(query.clone().select('e.id', 'id')).offset(pageOffset(page)).limit(page.pageSize);
    const [total, rows, settings] = await Promise.all([
      this.countFromRollups(actor, filter, status) ?? countRows(query),
      ordered(
        this.selectColumns(this.db.manager.getRepository(Enterprise).createQueryBuilder('e'))
          .where(`e.id IN (${pageIds.getQuery()})`)
          .setParameters(pageIds.getParameters()),
      ).getRawMany<EnterpriseRow>(),
      this.settings.current(),
    ]);
    const cadence = settings.visitCadenceDays;
    return { items: rows.map((row) => toListItem(row, cadence)), total, ...page };
  }

  /**
   * A supervisor's or admin's unfiltered ledger (active, perhaps one district, commissioner or
   * only those short of workers) is counted from `workload_rollups`, which the writes keep:
   * counting 100 000 rows for every page cost more than the page. Null when a filter needs the rows.
   */
  private countFromRollups(actor: Actor, filter: EnterpriseFilter, status: string): Promise<number> | null {
    // The rollups know a district, a commissioner and a shortage; any other filter needs the rows.
    const {
      districtCode: _district,
      commissionerId: _commissioner,
      hasShortage,
      status: _status,
      sort: _sort,
      ...rest
    } = filter;
    if (actor.role === 'commissioner' || status !== 'active' || hasShortage === false) return null;
    if (Object.values(rest).some((value) => value !== undefined && value !== '')) return null;
    const scope = enterpriseScopeCondition(actor, 'w');
    const conditions = [
      scope?.sql,
      filter.districtCode && 'w.district_code = :districtCode',
      filter.commissionerId && 'w.person_id = :commissionerId',
    ].filter(Boolean);
    return namedQuery<{ total: number }>(
      this.db,
      `SELECT COALESCE(SUM(${hasShortage ? 'w.enterprises_with_shortage' : 'w.enterprises'}), 0)::int AS total
         FROM workload_rollups w ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`,
      { ...scope?.params, districtCode: filter.districtCode, commissionerId: filter.commissionerId },
    ).then(([row]) => row.total);
  }

  async get(actor: Actor, id: string): Promise<EnterpriseView> {
    const row = await this.selectColumns(
      this.scopedQuery(actor, this.db.manager).andWhere('e.id = :id', { id }),
    ).getRawOne<EnterpriseRow>();
    if (!row) throw new NotFoundError('Enterprise');
    const cadence = (await this.settings.current()).visitCadenceDays;
    const [byOccupationCategory, byOccupation, problems] = await Promise.all([
      this.db.query<{ code: string; name: string; shortage: number }[]>(
        `SELECT dm.occupation_category AS code, oc.name, SUM(dm.headcount - dm.filled_count)::int AS shortage
           FROM demands dm JOIN occupation_categories oc ON oc.code = dm.occupation_category
          WHERE dm.enterprise_id = $1 AND dm.status = 'open'
          GROUP BY dm.occupation_category, oc.name ORDER BY shortage DESC, code`,
        [id],
      ),
      this.db.query<{ occupation: string; shortage: number }[]>(
        `SELECT occupation, SUM(headcount - filled_count)::int AS shortage
           FROM demands WHERE enterprise_id = $1 AND status = 'open'
          GROUP BY occupation ORDER BY shortage DESC, occupation`,
        [id],
      ),
      this.db.query<{ open: number; overdue: number }[]>(
        `SELECT COUNT(*)::int AS open, COUNT(*) FILTER (WHERE due_at < $2)::int AS overdue
           FROM problems WHERE enterprise_id = $1 AND status IN ('open', 'in_progress')`,
        [id, this.clock.now()],
      ),
    ]);
    return {
      ...toListItem(row, cadence),
      vacancyStructure: { byOccupationCategory, byOccupation },
      openProblems: problems[0]?.open ?? 0,
      overdueProblems: problems[0]?.overdue ?? 0,
    };
  }

  async create(actor: Actor, input: CreateEnterpriseInput): Promise<EnterpriseView> {
    if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins add enterprises to the ledger');
    if (!canManageDistrict(actor, input.districtCode)) {
      throw new ForbiddenError(`district ${input.districtCode} is outside your districts`);
    }
    const id = await this.db.transaction(async (manager) => {
      await assertReferences(manager, input);
      if (input.commissionerId) await UsersService.requireActiveCommissioner(manager, input.commissionerId);
      const now = this.clock.now();
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
      const enterprise = await this.insertUnique(manager, {
        ...fields,
        commissionerId: input.commissionerId ?? null,
        status: 'active',
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const changes = diffFields({}, { ...fields, commissionerId: input.commissionerId ?? null });
      await this.recordRevision(manager, actor, enterprise, 'created', changes, now);
      if (input.commissionerId) {
        await manager.insert(EnterpriseAssignment, {
          enterpriseId: enterprise.id,
          commissionerId: input.commissionerId,
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
    await this.db.transaction(async (manager) => {
      const enterprise = await this.lockInScope(manager, actor, id);
      const forbidden = fieldsRoleMayNotEdit(actor.role, fields);
      if (forbidden.length > 0) {
        throw new ForbiddenError(`a ${actor.role} may not change ${forbidden.join(', ')}`);
      }
      if (version !== enterprise.version) throw new VersionConflictError('Enterprise', enterprise.version);
      if (patch.districtCode !== undefined && !canManageDistrict(actor, patch.districtCode)) {
        throw new ForbiddenError(`district ${patch.districtCode} is outside your districts`);
      }
      const changes = diffFields(enterprise, patch);
      if (Object.keys(changes).length === 0) return;
      await assertReferences(manager, { industryCode: patch.industryCode, districtCode: patch.districtCode });
      await this.applyChanges(manager, actor, enterprise, changes, 'updated');
      if ('tier' in changes || 'visitCadenceDays' in changes) {
        const { visitCadenceDays } = await this.settings.current(manager);
        await refreshVisitSchedule(manager, [id], visitCadenceDays);
      }
    });
    await this.reminders.subjectsChanged([{ type: 'enterprise', id }]);
    return this.get(actor, id);
  }

  async archive(actor: Actor, id: string): Promise<EnterpriseView> {
    return this.changeStatus(actor, id, 'archived');
  }

  async restore(actor: Actor, id: string): Promise<EnterpriseView> {
    return this.changeStatus(actor, id, 'active');
  }

  /**
   * Hands the enterprise to another commissioner, keeping the assignment history. The
   * enterprise (and what hangs off it) leaves the old commissioner's scope at once, and its
   * unfinished problems assigned to the old commissioner move to the new one. Takes the version
   * last read, like every versioned write: of two reassignments made from one reading, one wins.
   */
  async assignCommissioner(actor: Actor, id: string, input: AssignCommissionerInput): Promise<EnterpriseView> {
    const { commissionerId, reason, version } = input;
    const handedOver = await this.db.transaction(async (manager) => {
      const enterprise = await this.lockInScope(manager, actor, id);
      if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins assign commissioners');
      await UsersService.requireActiveCommissioner(manager, commissionerId);
      if (version !== enterprise.version) throw new VersionConflictError('Enterprise', enterprise.version);
      if (enterprise.commissionerId === commissionerId) return [];
      const previous = enterprise.commissionerId;
      const now = await this.applyChanges(
        manager,
        actor,
        enterprise,
        { commissionerId: { from: previous, to: commissionerId } },
        'reassigned',
        { reason },
      );
      await manager.insert(EnterpriseAssignment, {
        enterpriseId: id,
        commissionerId,
        previousCommissionerId: previous,
        reason,
        assignedById: actor.id,
        assignedAt: now,
      });
      return handOverProblems(manager, actor, id, previous, commissionerId, reason, now);
    });
    // What was due to the old commissioner is now due to the new one.
    await this.reminders.subjectsChanged([
      { type: 'enterprise', id },
      ...handedOver.map((problemId) => ({ type: 'problem' as const, id: problemId })),
    ]);
    return this.get(actor, id);
  }

  async history(actor: Actor, id: string, page: PageRequest): Promise<Page<EnterpriseRevisionView>> {
    await this.assertVisible(actor, id);
    const [rows, total] = await Promise.all([
      this.db.query<RevisionRow[]>(
        `SELECT r.id, r.action, r.changes, r.version, r.changed_at AS "changedAt",
                r.actor_id AS "actorId", u.display_name AS "actorName"
           FROM enterprise_revisions r LEFT JOIN users u ON u.id = r.actor_id
          WHERE r.enterprise_id = $1
          ORDER BY r.version DESC, r.changed_at DESC
          LIMIT $2 OFFSET $3`,
        [id, page.pageSize, pageOffset(page)],
      ),
      this.db.getRepository(EnterpriseRevision).countBy({ enterpriseId: id }),
    ]);
    const items = rows.map((row) => ({
      id: row.id,
      action: row.action,
      actor: userRef(row.actorId, row.actorName),
      changedAt: row.changedAt,
      version: row.version,
      changes: row.changes,
    }));
    return { items, total, ...page };
  }

  async assignments(actor: Actor, id: string): Promise<EnterpriseAssignmentView[]> {
    await this.assertVisible(actor, id);
    const rows = await this.db.query<AssignmentRow[]>(
      `SELECT a.id, a.reason, a.assigned_at AS "assignedAt",
              a.commissioner_id AS "commissionerId", c.display_name AS "commissionerName",
              a.previous_commissioner_id AS "previousId", p.display_name AS "previousName",
              a.assigned_by_id AS "assignedById", b.display_name AS "assignedByName"
         FROM enterprise_assignments a
         JOIN users c ON c.id = a.commissioner_id
         LEFT JOIN users p ON p.id = a.previous_commissioner_id
         LEFT JOIN users b ON b.id = a.assigned_by_id
        WHERE a.enterprise_id = $1
        ORDER BY a.assigned_at DESC, a.id`,
      [id],
    );
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
    if (!(await this.scopedQuery(actor, this.db.manager).andWhere('e.id = :id', { id }).getExists())) {
      throw new NotFoundError('Enterprise');
    }
  }

  /**
   * Whether the person may manage the enterprise (assign, archive, restore): 404 out of scope,
   * then 403 unless a supervisor or admin. Asked before a request body is validated.
   */
  async assertMayManage(actor: Actor, id: string): Promise<void> {
    await this.assertVisible(actor, id);
    if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins manage an enterprise');
  }

  /** Locks the enterprise for a change; out of scope is indistinguishable from absent. */
  async lockInScope(manager: EntityManager, actor: Actor, id: string): Promise<Enterprise> {
    const enterprise = await manager.findOne(Enterprise, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!enterprise || !canSeeEnterprise(actor, enterprise)) throw new NotFoundError('Enterprise');
    return enterprise;
  }

  /**
   * Writes field changes to a locked enterprise with the revision and the audit event that
   * go with them, bumping its version. Used by every change to the ledger, including a
   * visit's headcount snapshot, so that history is complete.
   */
  async applyChanges(
    manager: EntityManager,
    actor: Actor,
    enterprise: Enterprise,
    changes: FieldChanges,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<Date> {
    const now = this.clock.now();
    const values = Object.fromEntries(Object.entries(changes).map(([field, { to }]) => [field, to]));
    Object.assign(enterprise, values, { version: enterprise.version + 1, updatedAt: now });
    try {
      await manager.update(
        Enterprise,
        { id: enterprise.id },
        { ...values, version: enterprise.version, updatedAt: now },
      );
    } catch (error) {
      throw this.translateUniqueViolation(error, enterprise.creditCode);
    }
    await this.recordRevision(manager, actor, enterprise, action, changes, now, details);
    return now;
  }

  private async changeStatus(actor: Actor, id: string, status: EnterpriseStatus): Promise<EnterpriseView> {
    await this.db.transaction(async (manager) => {
      const enterprise = await this.lockInScope(manager, actor, id);
      if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins archive or restore enterprises');
      if (enterprise.status === status) throw new ConflictError(`the enterprise is already ${status}`);
      await this.applyChanges(
        manager,
        actor,
        enterprise,
        { status: { from: enterprise.status, to: status } },
        status === 'archived' ? 'archived' : 'restored',
      );
    });
    await this.reminders.subjectsChanged([{ type: 'enterprise', id }]);
    return this.get(actor, id);
  }

  private async insertUnique(manager: EntityManager, values: Partial<Enterprise>): Promise<Enterprise> {
    try {
      return await manager.save(manager.create(Enterprise, values));
    } catch (error) {
      throw this.translateUniqueViolation(error, values.creditCode ?? '');
    }
  }

  private translateUniqueViolation(error: unknown, creditCode: string): unknown {
    return isUniqueViolation(error, 'enterprises_credit_code_key')
      ? new ConflictError(`an enterprise with credit code ${creditCode} is already in the ledger`)
      : error;
  }

  private async recordRevision(
    manager: EntityManager,
    actor: Actor,
    enterprise: Enterprise,
    action: string,
    changes: FieldChanges,
    at: Date,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await manager.insert(EnterpriseRevision, {
      enterpriseId: enterprise.id,
      actorId: actor.id,
      action,
      changes,
      version: enterprise.version,
      changedAt: at,
    });
    await recordAudit(manager, actor, `enterprise.${action}`, { type: 'enterprise', id: enterprise.id }, at, {
      fields: Object.keys(changes),
      ...details,
    });
  }

  private scopedQuery(actor: Actor, manager: EntityManager): SelectQueryBuilder<Enterprise> {
    const query = manager.getRepository(Enterprise).createQueryBuilder('e');
    applyScope(query, enterpriseScopeCondition(actor, 'e'));
    return query;
  }

  private selectColumns(query: SelectQueryBuilder<Enterprise>): SelectQueryBuilder<Enterprise> {
    return query
      .select([])
      .innerJoin(District, 'd', 'd.code = e.district_code')
      .innerJoin(Industry, 'i', 'i.code = e.industry_code')
      .leftJoin(User, 'c', 'c.id = e.commissioner_id')
      .addSelect('e.id', 'id')
      .addSelect('e.name', 'name')
      .addSelect('e.credit_code', 'creditCode')
      .addSelect('e.industry_code', 'industryCode')
      .addSelect('i.name', 'industryName')
      .addSelect('e.district_code', 'districtCode')
      .addSelect('d.name', 'districtName')
      .addSelect('e.address', 'address')
      .addSelect('e.tier', 'tier')
      .addSelect('e.employee_count', 'employeeCount')
      .addSelect('e.contact_name', 'contactName')
      .addSelect('e.contact_phone', 'contactPhone')
      .addSelect('e.visit_cadence_days', 'visitCadenceDays')
      .addSelect('e.commissioner_id', 'commissionerId')
      .addSelect('c.display_name', 'commissionerName')
      .addSelect('e.status', 'status')
      .addSelect('e.shortage', 'shortage')
      .addSelect('e.last_visit_at', 'lastVisitAt')
      .addSelect('e.next_visit_due_at', 'nextVisitDueAt')
      .addSelect('e.version', 'version')
      .addSelect('e.created_at', 'createdAt')
      .addSelect('e.updated_at', 'updatedAt');
  }
}

interface EnterpriseRow extends Omit<EnterpriseListItemView, 'commissioner' | 'customVisitCadence'> {
  visitCadenceDays: number;
  commissionerName: string | null;
}

interface RevisionRow {
  id: string;
  action: string;
  changes: FieldChanges;
  version: number;
  changedAt: Date;
  actorId: string | null;
  actorName: string | null;
}

interface AssignmentRow {
  id: string;
  reason: string;
  assignedAt: Date;
  commissionerId: string;
  commissionerName: string;
  previousId: string | null;
  previousName: string | null;
  assignedById: string | null;
  assignedByName: string | null;
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

/** Unknown reference codes are bad input (400), named by field. */
async function assertReferences(
  manager: EntityManager,
  codes: { industryCode?: string; districtCode?: string },
): Promise<void> {
  if (codes.industryCode && !(await manager.existsBy(Industry, { code: codes.industryCode }))) {
    throw InvalidInputError.field('industryCode', 'is not a known industry code');
  }
  if (codes.districtCode && !(await manager.existsBy(District, { code: codes.districtCode }))) {
    throw InvalidInputError.field('districtCode', 'is not a known district code');
  }
}
