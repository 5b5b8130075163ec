import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { PageRequest, pageOffset } from '@keydesk/common';
import {
  countRows,
  cursorBatches,
  cursorPosition,
  Enterprise,
  keyset,
  keysetCondition,
  keysetPage,
  orderByKeyset,
  selectKeysetColumns,
  User,
  Visit,
  VisitMethod,
  WithKeysetColumns,
} from '@keydesk/database';
import type { Actor } from '../access/actor';
import { applyScope, enterpriseScopeCondition } from '../access/scope';
import type { VisitView } from '../visits/visit.view';
import { TransactionContext } from '../transactions/transaction-context';

/** A visit as lists show it, before the view adds the demands and problems found on it. */
export interface VisitRow extends Omit<VisitView, 'enterprise' | 'commissioner' | 'demandIds' | 'problemIds'> {
  enterpriseName: string;
  districtCode: string;
  commissionerName: string;
}

/** A demand or problem recorded on a visit. */
export interface VisitLink {
  visitId: string;
  kind: 'demand' | 'problem';
  id: string;
}

export interface VisitFilter {
  commissionerId?: string;
  enterpriseId?: string;
  from?: Date;
  to?: Date;
  method?: VisitMethod;
}

/** The visit list's one order, latest first; the id last, so that visits at one moment keep one order. */
const VISIT_ORDER = keyset('visits', '-visitedAt', [
  { expr: 'v.visited_at', type: 'timestamptz', direction: 'DESC' },
  { expr: 'v.id', type: 'uuid', direction: 'DESC' },
]);

/** Every query of visits. */
@Injectable()
export class VisitsRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * The visits in the person's scope that match, latest first, one page of them (from its offset,
   * or right after the visit `after` names), how many match, and the next page's cursor.
   */
  async findPage(
    actor: Actor,
    filter: VisitFilter,
    page: PageRequest,
  ): Promise<{ rows: VisitRow[]; total: number; nextCursor: string | null }> {
    const query = this.matching(actor, filter);
    const total = await countRows(query);
    if (page.after) {
      const after = keysetCondition(VISIT_ORDER, await cursorPosition(VISIT_ORDER, page.after));
      query.andWhere(after.sql, after.params);
    } else {
      query.offset(pageOffset(page));
    }
    // One row more than the page tells whether another page follows.
    const rows = await selectKeysetColumns(query, VISIT_ORDER)
      .limit(page.pageSize + 1)
      .getRawMany<WithKeysetColumns<VisitRow>>();
    return { ...keysetPage(VISIT_ORDER, rows, page.pageSize), total };
  }

  /** Every visit `findPage` would list for the filter, latest first, batch by batch through a cursor (the export). */
  findAll(actor: Actor, filter: VisitFilter): AsyncGenerator<VisitRow[]> {
    const [sql, parameters] = this.matching(actor, filter).getQueryAndParameters();
    return cursorBatches<VisitRow>(this.tx.manager.connection, sql, parameters);
  }

  /** The visit list's scope, filters and order: what a page and the export both read. */
  private matching(actor: Actor, filter: VisitFilter): SelectQueryBuilder<Visit> {
    const query = this.listed(actor);
    if (filter.commissionerId) {
      query.andWhere('v.commissioner_id = :commissionerId', { commissionerId: filter.commissionerId });
    }
    if (filter.enterpriseId) query.andWhere('v.enterprise_id = :enterpriseId', { enterpriseId: filter.enterpriseId });
    if (filter.from) query.andWhere('v.visited_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('v.visited_at <= :to', { to: filter.to });
    if (filter.method) query.andWhere('v.method = :method', { method: filter.method });
    return orderByKeyset(query, VISIT_ORDER);
  }

  /** The visit as lists show it, if its enterprise is in the person's scope. */
  async findVisible(actor: Actor, id: string): Promise<VisitRow | null> {
    return (await this.listed(actor).andWhere('v.id = :id', { id }).getRawOne<VisitRow>()) ?? null;
  }

  /** The demands and problems recorded on these visits. */
  async linksOf(visitIds: string[]): Promise<VisitLink[]> {
    if (visitIds.length === 0) return [];
    return this.tx.manager.query<VisitLink[]>(
      `SELECT source_visit_id AS "visitId", 'demand' AS kind, id FROM demands WHERE source_visit_id = ANY($1)
       UNION ALL
       SELECT source_visit_id, 'problem', id FROM problems WHERE source_visit_id = ANY($1)`,
      [visitIds],
    );
  }

  /** The visit a commissioner already saved under their own id for it (a retry's original). */
  findByClientRequest(commissionerId: string, clientRequestId: string): Promise<Visit | null> {
    return this.tx.manager.findOneBy(Visit, { commissionerId, clientRequestId });
  }

  async insert(values: Partial<Visit>): Promise<Visit> {
    const manager = this.tx.manager;
    return manager.save(manager.create(Visit, values));
  }

  /**
   * Whether another visit to the enterprise, later than this one, carries a headcount. Asked with
   * the enterprise locked, so concurrent visits are judged one after another. Of two visits at the
   * same moment, the one entered last is the later (as for `lastVisitAt`).
   */
  async hasLaterHeadcount(enterpriseId: string, visit: Pick<Visit, 'id' | 'visitedAt'>): Promise<boolean> {
    const [row] = await this.tx.manager.query<{ later: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM visits
                       WHERE enterprise_id = $1 AND id <> $2 AND employee_count IS NOT NULL AND visited_at > $3) AS later`,
      [enterpriseId, visit.id, visit.visitedAt],
    );
    return row.later;
  }

  /** The columns a visit is shown with, narrowed to the person's scope. */
  private listed(actor: Actor): SelectQueryBuilder<Visit> {
    const query = this.tx.manager
      .getRepository(Visit)
      .createQueryBuilder('v')
      .select([])
      .innerJoin(Enterprise, 'e', 'e.id = v.enterprise_id')
      .innerJoin(User, 'c', 'c.id = v.commissioner_id')
      .addSelect('v.id', 'id')
      .addSelect('v.enterprise_id', 'enterpriseId')
      .addSelect('e.name', 'enterpriseName')
      .addSelect('e.district_code', 'districtCode')
      .addSelect('v.commissioner_id', 'commissionerId')
      .addSelect('c.display_name', 'commissionerName')
      .addSelect('v.visited_at', 'visitedAt')
      .addSelect('v.method', 'method')
      .addSelect('v.summary', 'summary')
      .addSelect('v.employee_count', 'employeeCount')
      .addSelect('v.non_local_staying', 'nonLocalStaying')
      .addSelect('v.unable_to_return', 'unableToReturn')
      .addSelect('v.returned', 'returned')
      .addSelect('v.next_follow_up_at', 'nextFollowUpAt')
      .addSelect('v.created_at', 'createdAt');
    applyScope(query, enterpriseScopeCondition(actor, 'e'));
    return query;
  }
}
