import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { ConflictError, escapeLike, isUniqueViolation, PageRequest, pageOffset, SortOrder } from '@keydesk/common';
import {
  countRows,
  cursorBatches,
  cursorPosition,
  Keyset,
  keyset,
  keysetColumnsSql,
  keysetCondition,
  keysetPage,
  KeysetType,
  orderByKeyset,
  orderBySql,
  selectKeysetColumns,
  WithKeysetColumns,
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
import type { Actor } from '../access/actor';
import { applyScope, enterpriseScopeCondition } from '../access/scope';
import type { EnterpriseListItemView } from '../enterprises/enterprise.view';
import { OPEN_DEMAND_LISTS_SQL, demandShortageSql } from '../rules/demand-rules';
import {
  effectiveVisitCadenceDays,
  enterpriseActiveSql,
  nextVisitDueAt,
  visitOverdueSql,
} from '../rules/enterprise-rules';
import { TransactionContext } from '../transactions/transaction-context';
import { VacancyStructure, vacancyStructureSql } from './demands.repository';
import { openAndOverdueSql } from './problems.repository';

export const ENTERPRISE_SORT_FIELDS = ['name', 'employeeCount', 'updatedAt', 'nextVisitDueAt', 'shortage'] as const;
export type EnterpriseSortField = (typeof ENTERPRISE_SORT_FIELDS)[number];

/**
 * Each sort's column; `nullable`: NULLs go last ascending, first descending (never visited: no due
 * date), sorted by `(column IS NULL)` first so that `enterprises_status_due_idx` serves every page.
 */
const SORT_COLUMNS: Record<EnterpriseSortField, { expr: string; type: KeysetType; nullable?: true }> = {
  name: { expr: 'e.name', type: 'text' },
  employeeCount: { expr: 'e.employee_count', type: 'int' },
  updatedAt: { expr: 'e.updated_at', type: 'timestamptz' },
  nextVisitDueAt: { expr: 'e.next_visit_due_at', type: 'timestamptz', nullable: true },
  shortage: { expr: 'e.shortage', type: 'int' },
};

/** The ledger list's filters, with the moments they compare with already worked out by the service. */
export interface EnterpriseListCriteria {
  q?: string;
  districtCode?: string;
  industryCode?: string;
  tier?: Tier;
  commissionerId?: string;
  status: EnterpriseStatus | 'all';
  hasShortage?: boolean;
  /** Whether the next visit's due date has passed by `now`. */
  visitOverdue?: boolean;
  hasCommissioner?: boolean;
  /** Active enterprises whose next visit is due before this moment (overdue ones included). */
  visitDueBefore?: Date;
  /** Active enterprises whose open demands were all last updated at or before `before` (`stale: false`: every other). */
  demandsStale?: { stale: boolean; before: Date };
  now: Date;
  sort: SortOrder<EnterpriseSortField>;
}

/** An enterprise as the list and the detail show it, before the settings' default cadence is applied. */
export interface EnterpriseRow extends Omit<
  EnterpriseListItemView,
  'commissioner' | 'customVisitCadence' | 'visitCadenceDays'
> {
  /** The enterprise's own cadence; null: its tier's default. */
  visitCadenceDays: number | null;
  commissionerName: string | null;
}

/** An enterprise as its detail shows it (see `findDetailInScope`). */
export interface EnterpriseDetailRow extends EnterpriseRow {
  vacancyStructure: VacancyStructure;
  problems: { open: number; overdue: number };
}

/** A ledger row as the export writes it: the list's row with the commissioner's account name. */
export interface EnterpriseExportRow extends EnterpriseRow {
  commissionerUsername: string | null;
}

export interface RevisionRow {
  id: string;
  action: string;
  changes: FieldChanges;
  version: number;
  changedAt: Date;
  actorId: string | null;
  actorName: string | null;
}

export interface AssignmentRow {
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

interface ScheduleRow {
  id: string;
  tier: Tier;
  visitCadenceDays: number | null;
  visitedAt: Date | null;
  nextFollowUpAt: Date | null;
}

/** Every query of the ledger: enterprises, their revisions and assignments, and the columns derived from their demands and visits. */
@Injectable()
export class EnterprisesRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * One page of the enterprises in the person's scope that meet the criteria, how many do, and
   * the cursor of the next page. With `after` the page starts right after the row it names (an
   * index range, however deep); without, at the page's offset.
   */
  async findPage(
    actor: Actor,
    criteria: EnterpriseListCriteria,
    page: PageRequest,
  ): Promise<{ rows: EnterpriseRow[]; total: number; nextCursor: string | null }> {
    const order = ledgerOrder(criteria.sort);
    const query = this.matching(actor, criteria);
    // The page's ids are found from the ledger table (and its index) alone; the joins then run
    // for those rows only, so a deep page does not join every row it skips. One round trip.
    // One row more than the page tells whether another page follows.
    const pageIds = orderByKeyset(query.clone().select('e.id', 'id'), order).limit(page.pageSize + 1);
    if (page.after) {
      const after = keysetCondition(
        order,
        await cursorPosition(order, page.after, (id) =>
          selectKeysetColumns(
            this.scopedQuery(actor).select([]).andWhere('e.id = :afterId', { afterId: id }),
            order,
          ).getRawOne<WithKeysetColumns<object>>(),
        ),
      );
      pageIds.andWhere(after.sql, after.params);
    } else {
      pageIds.offset(pageOffset(page));
    }
    const [total, rows] = await Promise.all([
      this.countFromRollups(actor, criteria) ?? countRows(query),
      orderByKeyset(
        selectKeysetColumns(
          this.selectColumns(this.tx.manager.getRepository(Enterprise).createQueryBuilder('e'))
            .where(`e.id IN (${pageIds.getQuery()})`)
            .setParameters(pageIds.getParameters()),
          order,
        ),
        order,
      ).getRawMany<WithKeysetColumns<EnterpriseRow>>(),
    ]);
    return { ...keysetPage(order, rows, page.pageSize), total };
  }

  /**
   * Every enterprise `findPage` would list for the criteria, in its order, batch by batch through
   * a cursor (the ledger's export), with the commissioner's account name an import reads back.
   */
  findAll(actor: Actor, criteria: EnterpriseListCriteria): AsyncGenerator<EnterpriseExportRow[]> {
    const query = orderByKeyset(
      this.selectColumns(this.matching(actor, criteria)),
      ledgerOrder(criteria.sort),
    ).addSelect('c.username', 'commissionerUsername');
    const [sql, parameters] = query.getQueryAndParameters();
    return cursorBatches<EnterpriseExportRow>(this.tx.manager.connection, sql, parameters);
  }

  /** The ledger list's scope and filters: the one definition of which enterprises a list (or its export) holds. */
  private matching(actor: Actor, criteria: EnterpriseListCriteria): SelectQueryBuilder<Enterprise> {
    const query = this.scopedQuery(actor);
    if (criteria.status !== 'all') query.andWhere('e.status = :status', { status: criteria.status });
    if (criteria.q) {
      query.andWhere('(e.name ILIKE :q OR e.credit_code ILIKE :q)', { q: `%${escapeLike(criteria.q.trim())}%` });
    }
    if (criteria.districtCode) {
      query.andWhere('e.district_code = :districtCode', { districtCode: criteria.districtCode });
    }
    if (criteria.industryCode) {
      query.andWhere('e.industry_code = :industryCode', { industryCode: criteria.industryCode });
    }
    if (criteria.tier) query.andWhere('e.tier = :tier', { tier: criteria.tier });
    if (criteria.commissionerId) {
      query.andWhere('e.commissioner_id = :commissionerId', { commissionerId: criteria.commissionerId });
    }
    if (criteria.hasShortage !== undefined) {
      query.andWhere(criteria.hasShortage ? 'e.shortage > 0' : 'e.shortage = 0');
    }
    if (criteria.visitOverdue !== undefined) {
      const overdue = visitOverdueSql('e', ':now');
      query.andWhere(criteria.visitOverdue ? overdue : `(e.next_visit_due_at IS NULL OR NOT (${overdue}))`, {
        now: criteria.now,
      });
    }
    if (criteria.hasCommissioner !== undefined) {
      query.andWhere(criteria.hasCommissioner ? 'e.commissioner_id IS NOT NULL' : 'e.commissioner_id IS NULL');
    }
    // Archived enterprises are due no visit and have no stale list: they get no reminders either.
    if (criteria.visitDueBefore !== undefined) {
      query.andWhere(`${enterpriseActiveSql('e')} AND ${visitOverdueSql('e', ':visitDueBefore')}`, {
        visitDueBefore: criteria.visitDueBefore,
      });
    }
    if (criteria.demandsStale !== undefined) {
      // The demand_stale reminder's own rule: the last update of the open demand list.
      const stale = `${enterpriseActiveSql('e')} AND e.id IN (
        SELECT l.enterprise_id FROM (${OPEN_DEMAND_LISTS_SQL}) l WHERE l.last_update <= :demandsStaleBefore)`;
      query.andWhere(criteria.demandsStale.stale ? `(${stale})` : `NOT (${stale})`, {
        demandsStaleBefore: criteria.demandsStale.before,
      });
    }
    return query;
  }

  /**
   * A supervisor's or admin's unfiltered ledger (active, perhaps one district, commissioner or
   * only those short of workers) is counted from `workload_rollups`, which the writes keep:
   * counting 100 000 rows for every page cost more than the page. Null when a filter needs the rows.
   */
  private countFromRollups(actor: Actor, criteria: EnterpriseListCriteria): Promise<number> | null {
    // The rollups know a district, a commissioner and a shortage; any other filter needs the rows.
    const { districtCode, commissionerId, hasShortage, status, sort: _sort, now: _now, ...rest } = criteria;
    if (actor.role === 'commissioner' || status !== 'active' || hasShortage === false) return null;
    if (Object.values(rest).some((value) => value !== undefined && value !== '')) return null;
    const scope = enterpriseScopeCondition(actor, 'w');
    const conditions = [
      scope?.sql,
      districtCode && 'w.district_code = :districtCode',
      commissionerId && 'w.person_id = :commissionerId',
    ].filter(Boolean);
    return namedQuery<{ total: number }>(
      this.tx.manager,
      `SELECT COALESCE(SUM(${hasShortage ? 'w.enterprises_with_shortage' : 'w.enterprises'}), 0)::int AS total
         FROM workload_rollups w ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`,
      { ...scope?.params, districtCode, commissionerId },
    ).then(([row]) => row.total);
  }

  /** The enterprise as the detail shows it, if it is in the person's scope. */
  async findInScope(actor: Actor, id: string): Promise<EnterpriseRow | null> {
    const row = await this.selectColumns(
      this.scopedQuery(actor).andWhere('e.id = :id', { id }),
    ).getRawOne<EnterpriseRow>();
    return row ?? null;
  }

  /**
   * The enterprise as its detail shows it, with where its demands fall short and its problems
   * still being worked, if it is in the person's scope: one statement.
   */
  async findDetailInScope(actor: Actor, id: string, now: Date): Promise<EnterpriseDetailRow | null> {
    const row = await this.selectColumns(this.scopedQuery(actor).andWhere('e.id = :id', { id }))
      .addSelect(vacancyStructureSql('e.id'), 'vacancyStructure')
      .addSelect(openAndOverdueSql('e.id', ':now'), 'problems')
      .setParameter('now', now)
      .getRawOne<EnterpriseDetailRow>();
    return row ?? null;
  }

  /** Whether the enterprise exists in the person's scope: one indexed lookup. */
  existsInScope(actor: Actor, id: string): Promise<boolean> {
    return this.scopedQuery(actor).andWhere('e.id = :id', { id }).getExists();
  }

  /** The enterprise locked for a change in the current transaction, or null. */
  findLocked(id: string): Promise<Enterprise | null> {
    return this.tx.manager.findOne(Enterprise, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Adds an enterprise; its credit code must be new to the ledger (409). */
  async insert(values: Partial<Enterprise>): Promise<Enterprise> {
    try {
      return await this.tx.manager.save(this.tx.manager.create(Enterprise, values));
    } catch (error) {
      throw translateUniqueViolation(error, values.creditCode ?? '');
    }
  }

  /** Writes an enterprise's columns; a credit code already in the ledger is a 409. */
  async update(enterprise: Enterprise, values: Partial<Enterprise>): Promise<void> {
    try {
      await this.tx.manager.update(Enterprise, { id: enterprise.id }, values);
    } catch (error) {
      throw translateUniqueViolation(error, enterprise.creditCode);
    }
  }

  async insertRevision(revision: Omit<EnterpriseRevision, 'id'>): Promise<void> {
    await this.tx.manager.insert(EnterpriseRevision, revision);
  }

  async insertAssignment(assignment: Omit<EnterpriseAssignment, 'id'>): Promise<void> {
    await this.tx.manager.insert(EnterpriseAssignment, assignment);
  }

  /** The enterprise's revisions, newest first, with who made them, how many there are, and the next page's cursor. */
  async revisionsPage(
    enterpriseId: string,
    page: PageRequest,
  ): Promise<{ rows: RevisionRow[]; total: number; nextCursor: string | null }> {
    const after = page.after ? keysetCondition(REVISION_ORDER, await cursorPosition(REVISION_ORDER, page.after)) : null;
    const [rows, total] = await Promise.all([
      namedQuery<WithKeysetColumns<RevisionRow>>(
        this.tx.manager,
        `SELECT r.id, r.action, r.changes, r.version, r.changed_at AS "changedAt",
                r.actor_id AS "actorId", u.display_name AS "actorName"${keysetColumnsSql(REVISION_ORDER)}
           FROM enterprise_revisions r LEFT JOIN users u ON u.id = r.actor_id
          WHERE r.enterprise_id = :enterpriseId ${after ? `AND ${after.sql}` : ''}
          ORDER BY ${orderBySql(REVISION_ORDER)}
          LIMIT :limit OFFSET :offset`,
        { enterpriseId, ...after?.params, limit: page.pageSize + 1, offset: after ? 0 : pageOffset(page) },
      ),
      this.tx.manager.countBy(EnterpriseRevision, { enterpriseId }),
    ]);
    return { ...keysetPage(REVISION_ORDER, rows, page.pageSize), total };
  }

  /** The enterprise's assignments, newest first, with the people's names. */
  assignmentsOf(enterpriseId: string): Promise<AssignmentRow[]> {
    return this.tx.manager.query<AssignmentRow[]>(
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
      [enterpriseId],
    );
  }

  /** The enterprises that have been visited and follow their tier's default cadence. */
  async idsOnTierDefaultCadence(): Promise<string[]> {
    const rows = await this.tx.manager.query<{ id: string }[]>(
      `SELECT id FROM enterprises WHERE visit_cadence_days IS NULL AND last_visit_at IS NOT NULL`,
    );
    return rows.map((row) => row.id);
  }

  /*
   * Derived ledger columns kept in the same transaction as the writes they follow, so the ledger
   * list can filter and sort by them. They never bump the enterprise's version: they are not edits.
   */

  /** shortage = Σ of the open demands' shortage (the status filter lets the open-demands index serve it). */
  async refreshShortage(enterpriseId: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE enterprises SET shortage = (
         SELECT COALESCE(SUM(${demandShortageSql('dm')}), 0) FROM demands dm
          WHERE dm.enterprise_id = $1 AND dm.status = 'open')
       WHERE id = $1`,
      [enterpriseId],
    );
  }

  /**
   * lastVisitAt and nextVisitDueAt from each enterprise's latest visit (by `visitedAt`, so a visit
   * entered late for an earlier date does not move the schedule back).
   */
  async refreshVisitSchedule(enterpriseIds: string[], cadenceByTier: Record<Tier, number>): Promise<void> {
    if (enterpriseIds.length === 0) return;
    const rows = await this.tx.manager.query<ScheduleRow[]>(
      `SELECT e.id, e.tier, e.visit_cadence_days AS "visitCadenceDays",
              v.visited_at AS "visitedAt", v.next_follow_up_at AS "nextFollowUpAt"
         FROM enterprises e
         LEFT JOIN LATERAL (
           SELECT visited_at, next_follow_up_at FROM visits
            WHERE enterprise_id = e.id ORDER BY visited_at DESC, created_at DESC LIMIT 1) v ON true
        WHERE e.id = ANY($1)`,
      [enterpriseIds],
    );
    const latest = rows.map((row) => ({
      id: row.id,
      last: row.visitedAt,
      next: nextVisitDueAt(
        row.visitedAt ? { visitedAt: row.visitedAt, nextFollowUpAt: row.nextFollowUpAt } : null,
        effectiveVisitCadenceDays(row, cadenceByTier),
      ),
    }));
    await this.tx.manager.query(
      `UPDATE enterprises e SET last_visit_at = u.last, next_visit_due_at = u.next
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS u(id, last, next)
        WHERE e.id = u.id`,
      [latest.map((row) => row.id), latest.map((row) => row.last), latest.map((row) => row.next)],
    );
  }

  private scopedQuery(actor: Actor): SelectQueryBuilder<Enterprise> {
    return applyScope(
      this.tx.manager.getRepository(Enterprise).createQueryBuilder('e'),
      enterpriseScopeCondition(actor, 'e'),
    );
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

/**
 * The list's order (and its cursors'); the id last, in the same direction, so that rows that tie
 * keep one order from page to page and every page is one range of an index read one way. No due
 * date sorts after every date, ascending, and before them, descending.
 */
function ledgerOrder({ field, direction }: EnterpriseListCriteria['sort']): Keyset {
  const { expr, type, nullable } = SORT_COLUMNS[field];
  const nulls = direction === 'ASC' ? 'LAST' : 'FIRST';
  return keyset('enterprises', direction === 'ASC' ? field : `-${field}`, [
    { expr, type, direction, ...(nullable && { nulls, nullsByFlag: true }) },
    { expr: 'e.id', type: 'uuid', direction },
  ]);
}

/** An enterprise's revisions, newest first; the id last, so that any two keep one order from page to page. */
const REVISION_ORDER = keyset('revisions', '-version', [
  { expr: 'r.version', type: 'int', direction: 'DESC' },
  { expr: 'r.changed_at', type: 'timestamptz', direction: 'DESC' },
  { expr: 'r.id', type: 'uuid', direction: 'DESC' },
]);

/** The credit code's unique index, as the 409 it means; any other error as it is. */
function translateUniqueViolation(error: unknown, creditCode: string): unknown {
  return isUniqueViolation(error, 'enterprises_credit_code_key')
    ? new ConflictError(`an enterprise with credit code ${creditCode} is already in the ledger`)
    : error;
}
