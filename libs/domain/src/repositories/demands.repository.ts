import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { escapeLike, PageRequest, pageOffset, parseSort } from '@keydesk/common';
import {
  countRows,
  cursorBatches,
  cursorPosition,
  Demand,
  DemandStatus,
  Enterprise,
  Keyset,
  keyset,
  keysetCondition,
  keysetPage,
  KeysetType,
  namedQuery,
  OccupationCategory,
  orderByKeyset,
  selectKeysetColumns,
  Urgency,
  WithKeysetColumns,
} from '@keydesk/database';
import type { Actor } from '../access/actor';
import { applyScope, enterpriseScopeCondition } from '../access/scope';
import type { DemandSummaryView, DemandView } from '../demands/demand.view';
import { demandShortageSql } from '../rules/demand-rules';
import { enterpriseActiveSql } from '../rules/enterprise-rules';
import { TransactionContext } from '../transactions/transaction-context';

export interface VacancyStructure {
  byOccupationCategory: { code: string; name: string; shortage: number }[];
  byOccupation: { occupation: string; shortage: number }[];
}

/** A demand as lists show it, before the view adds what is computed (its shortage). */
export interface DemandRow extends Omit<DemandView, 'enterprise' | 'shortage'> {
  enterpriseName: string;
  districtCode: string;
}

export interface DemandSummaryRows {
  items: DemandSummaryView['items'];
  totals: DemandSummaryView['totals'] | undefined;
}

/** Each sort's column; `nullable`: NULLs go last whichever the direction (no date needed by). */
const SORT_COLUMNS: Record<DemandSortField, { expr: string; type: KeysetType; nullable?: true }> = {
  updatedAt: { expr: 'dm.updated_at', type: 'timestamptz' },
  createdAt: { expr: 'dm.created_at', type: 'timestamptz' },
  neededBy: { expr: 'dm.needed_by', type: 'date', nullable: true },
  headcount: { expr: 'dm.headcount', type: 'int' },
  // Places still unfilled, whatever the status (an open-only list sorts by its shortage).
  shortage: { expr: '(dm.headcount - dm.filled_count)', type: 'int' },
};

export const DEMAND_SORT_FIELDS = ['updatedAt', 'createdAt', 'neededBy', 'headcount', 'shortage'] as const;
export type DemandSortField = (typeof DEMAND_SORT_FIELDS)[number];

export interface DemandFilter {
  enterpriseId?: string;
  /** Found on this visit. */
  sourceVisitId?: string;
  districtCode?: string;
  industryCode?: string;
  occupationCategory?: string;
  occupation?: string;
  /** Default `open`. */
  status?: DemandStatus | 'all';
  urgency?: Urgency;
  sort?: string;
}

/**
 * Where an enterprise's open demands fall short, by occupation category and by occupation,
 * largest first, as one JSON value (`VacancyStructure`): a scalar subquery the enterprise's
 * detail selects beside its row, so the detail is one round trip. `enterpriseId` is a column
 * or parameter reference, never a value.
 */
export function vacancyStructureSql(enterpriseId: string): string {
  return `json_build_object(
    'byOccupationCategory', (SELECT COALESCE(json_agg(v ORDER BY v.shortage DESC, v.code), '[]')
       FROM (SELECT dm.occupation_category AS code, oc.name, SUM(dm.headcount - dm.filled_count)::int AS shortage
               FROM demands dm JOIN occupation_categories oc ON oc.code = dm.occupation_category
              WHERE dm.enterprise_id = ${enterpriseId} AND dm.status = 'open'
              GROUP BY dm.occupation_category, oc.name) v),
    'byOccupation', (SELECT COALESCE(json_agg(v ORDER BY v.shortage DESC, v.occupation), '[]')
       FROM (SELECT dm.occupation, SUM(dm.headcount - dm.filled_count)::int AS shortage
               FROM demands dm WHERE dm.enterprise_id = ${enterpriseId} AND dm.status = 'open'
              GROUP BY dm.occupation) v))`;
}

export const DEMAND_GROUPINGS = ['district', 'industry', 'occupationCategory'] as const;
export type DemandGrouping = (typeof DEMAND_GROUPINGS)[number];

/** Every query of demands, and the demand summary. */
@Injectable()
export class DemandsRepository {
  /**
   * Occupation categories are reference data that migrations add and nothing removes: a code
   * once found stays valid, so each process looks a code up only until it has seen it (logging a
   * visit with two demands saved two round trips inside the enterprise's lock).
   */
  private readonly knownCategories = new Set<string>();

  constructor(private readonly tx: TransactionContext) {}

  /**
   * The demands in the person's scope that match (open ones by default), one page of them (from
   * its offset, or right after the row `after` names), how many match, and the next page's cursor.
   */
  async findPage(
    actor: Actor,
    filter: DemandFilter,
    page: PageRequest,
  ): Promise<{ rows: DemandRow[]; total: number; nextCursor: string | null }> {
    const order = demandOrder(filter.sort);
    const query = this.matching(actor, filter);
    const total = await countRows(query);
    if (page.after) {
      const after = keysetCondition(order, await cursorPosition(order, page.after));
      query.andWhere(after.sql, after.params);
    } else {
      query.offset(pageOffset(page));
    }
    // One row more than the page tells whether another page follows.
    const rows = await selectKeysetColumns(query, order)
      .limit(page.pageSize + 1)
      .getRawMany<WithKeysetColumns<DemandRow>>();
    return { ...keysetPage(order, rows, page.pageSize), total };
  }

  /** Every demand `findPage` would list for the filter, in its order, batch by batch through a cursor (the export). */
  findAll(actor: Actor, filter: DemandFilter): AsyncGenerator<DemandRow[]> {
    const [sql, parameters] = this.matching(actor, filter).getQueryAndParameters();
    return cursorBatches<DemandRow>(this.tx.manager.connection, sql, parameters);
  }

  /** The demand list's scope, filters and order: what a page and the export both read. */
  private matching(actor: Actor, filter: DemandFilter): SelectQueryBuilder<Demand> {
    const query = this.listed(actor);
    const status = filter.status ?? 'open';
    if (status !== 'all') query.andWhere('dm.status = :status', { status });
    if (filter.enterpriseId) query.andWhere('dm.enterprise_id = :enterpriseId', { enterpriseId: filter.enterpriseId });
    if (filter.sourceVisitId) {
      query.andWhere('dm.source_visit_id = :sourceVisitId', { sourceVisitId: filter.sourceVisitId });
    }
    if (filter.districtCode) query.andWhere('e.district_code = :districtCode', { districtCode: filter.districtCode });
    if (filter.industryCode) query.andWhere('e.industry_code = :industryCode', { industryCode: filter.industryCode });
    if (filter.occupationCategory) {
      query.andWhere('dm.occupation_category = :category', { category: filter.occupationCategory });
    }
    if (filter.occupation) {
      query.andWhere('dm.occupation ILIKE :occupation', { occupation: `%${escapeLike(filter.occupation.trim())}%` });
    }
    if (filter.urgency) query.andWhere('dm.urgency = :urgency', { urgency: filter.urgency });
    return orderByKeyset(query, demandOrder(filter.sort));
  }

  /** The demand as lists show it, if its enterprise is in the person's scope. */
  async findVisible(actor: Actor, id: string): Promise<DemandRow | null> {
    return (await this.listed(actor).andWhere('dm.id = :id', { id }).getRawOne<DemandRow>()) ?? null;
  }

  /** Whether the demand exists and its enterprise is in the person's scope. */
  isVisible(actor: Actor, id: string): Promise<boolean> {
    return this.listed(actor).andWhere('dm.id = :id', { id }).getExists();
  }

  findById(id: string): Promise<Demand | null> {
    return this.tx.manager.findOneBy(Demand, { id });
  }

  /** The demand locked for a change, in the current transaction; it must exist. */
  lock(id: string): Promise<Demand> {
    return this.tx.manager.findOneOrFail(Demand, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Adds demands in one statement; answers their ids in the same order. */
  async insertMany(values: Partial<Demand>[]): Promise<string[]> {
    if (values.length === 0) return [];
    const result = await this.tx.manager.insert(Demand, values);
    return result.identifiers.map((identifier) => identifier.id as string);
  }

  async update(id: string, values: Partial<Demand>): Promise<void> {
    await this.tx.manager.update(Demand, { id }, values);
  }

  async occupationCategoryExists(code: string): Promise<boolean> {
    if (this.knownCategories.has(code)) return true;
    if (!(await this.tx.manager.existsBy(OccupationCategory, { code }))) return false;
    this.knownCategories.add(code);
    return true;
  }

  /**
   * Districts or the whole city, from `demand_rollups` (kept in the writing transactions): per
   * district, industry and occupation category the active enterprises with an open demand there,
   * their open demands and shortage; category '' holds the same per enterprise in all categories.
   */
  async summaryRolledUp(actor: Actor, groupBy: DemandGrouping): Promise<DemandSummaryRows> {
    const keys: Record<DemandGrouping, { key: string; table: string }> = {
      district: { key: 'r.district_code', table: 'districts' },
      industry: { key: 'r.industry_code', table: 'industries' },
      occupationCategory: { key: 'r.occupation_category', table: 'occupation_categories' },
    };
    const { key, table } = keys[groupBy];
    const scope = enterpriseScopeCondition(actor, 'r');
    const inScope = scope ? `AND ${scope.sql}` : '';
    const categories = groupBy === 'occupationCategory' ? `r.occupation_category <> ''` : `r.occupation_category = ''`;
    const [items, [totals]] = await Promise.all([
      namedQuery<DemandSummaryView['items'][number]>(
        this.tx.manager,
        `SELECT ${key} AS key, g.name, SUM(r.enterprises)::int AS enterprises,
                SUM(r.open_demands)::int AS "openDemands", SUM(r.shortage)::int AS shortage
           FROM demand_rollups r JOIN ${table} g ON g.code = ${key}
          WHERE ${categories} ${inScope}
          GROUP BY ${key}, g.name
         HAVING SUM(r.open_demands) > 0
          ORDER BY shortage DESC, key ASC`,
        scope?.params ?? {},
      ),
      namedQuery<DemandSummaryView['totals']>(
        this.tx.manager,
        `SELECT COALESCE(SUM(r.enterprises), 0)::int AS enterprises,
                COALESCE(SUM(r.open_demands), 0)::int AS "openDemands", COALESCE(SUM(r.shortage), 0)::int AS shortage
           FROM demand_rollups r WHERE r.occupation_category = '' ${inScope}`,
        scope?.params ?? {},
      ),
    ]);
    return { items, totals };
  }

  /**
   * A commissioner's few dozen enterprises, counted from their open demands: per enterprise (and
   * category) first, so that "how many enterprises" is a plain count rather than COUNT(DISTINCT).
   */
  async summaryCounted(actor: Actor, groupBy: DemandGrouping): Promise<DemandSummaryRows> {
    const keys: Record<DemandGrouping, { key: string; table: string }> = {
      district: { key: 'd.district_code', table: 'districts' },
      industry: { key: 'd.industry_code', table: 'industries' },
      occupationCategory: { key: 'd.occupation_category', table: 'occupation_categories' },
    };
    const { key, table } = keys[groupBy];
    const scope = enterpriseScopeCondition(actor, 'e');
    // Per enterprise (and category, when grouping by it): its open demands and shortage.
    const perEnterprise = (withCategory: boolean) => `
      SELECT dm.enterprise_id, e.district_code, e.industry_code${withCategory ? ', dm.occupation_category' : ''},
             COUNT(*)::int AS demands, SUM(${demandShortageSql('dm')})::int AS shortage
        FROM demands dm JOIN enterprises e ON e.id = dm.enterprise_id AND ${enterpriseActiveSql('e')}
       WHERE dm.status = 'open' ${scope ? `AND ${scope.sql}` : ''}
       GROUP BY dm.enterprise_id, e.district_code, e.industry_code${withCategory ? ', dm.occupation_category' : ''}`;
    const [items, [totals]] = await Promise.all([
      namedQuery<DemandSummaryView['items'][number]>(
        this.tx.manager,
        `SELECT ${key} AS key, g.name, COUNT(*)::int AS enterprises,
                SUM(d.demands)::int AS "openDemands", SUM(d.shortage)::int AS shortage
           FROM (${perEnterprise(groupBy === 'occupationCategory')}) d JOIN ${table} g ON g.code = ${key}
          GROUP BY ${key}, g.name
          ORDER BY shortage DESC, key ASC`,
        scope?.params ?? {},
      ),
      namedQuery<DemandSummaryView['totals']>(
        this.tx.manager,
        `SELECT COUNT(*)::int AS enterprises, COALESCE(SUM(d.demands), 0)::int AS "openDemands",
                COALESCE(SUM(d.shortage), 0)::int AS shortage
           FROM (${perEnterprise(false)}) d`,
        scope?.params ?? {},
      ),
    ]);
    return { items, totals };
  }

  /** The columns a demand is shown with, narrowed to the person's scope. */
  private listed(actor: Actor): SelectQueryBuilder<Demand> {
    const query = this.tx.manager
      .getRepository(Demand)
      .createQueryBuilder('dm')
      .select([])
      .innerJoin(Enterprise, 'e', 'e.id = dm.enterprise_id')
      .innerJoin(OccupationCategory, 'oc', 'oc.code = dm.occupation_category')
      .addSelect('dm.id', 'id')
      .addSelect('dm.enterprise_id', 'enterpriseId')
      .addSelect('e.name', 'enterpriseName')
      .addSelect('e.district_code', 'districtCode')
      .addSelect('dm.occupation', 'occupation')
      .addSelect('dm.occupation_category', 'occupationCategory')
      .addSelect('oc.name', 'occupationCategoryName')
      .addSelect('dm.headcount', 'headcount')
      .addSelect('dm.filled_count', 'filledCount')
      .addSelect('dm.requirements', 'requirements')
      .addSelect('dm.salary_min', 'salaryMin')
      .addSelect('dm.salary_max', 'salaryMax')
      .addSelect(`to_char(dm.needed_by, 'YYYY-MM-DD')`, 'neededBy')
      .addSelect('dm.urgency', 'urgency')
      .addSelect('dm.status', 'status')
      .addSelect('dm.source_visit_id', 'sourceVisitId')
      .addSelect('dm.version', 'version')
      .addSelect('dm.created_at', 'createdAt')
      .addSelect('dm.updated_at', 'updatedAt');
    applyScope(query, enterpriseScopeCondition(actor, 'e'));
    return query;
  }
}

/**
 * The demand list's order (and its cursors'): the latest updated first unless a sort is asked
 * for; the id last, in the same direction, so that rows that tie keep one order from page to page.
 */
function demandOrder(sort: string | undefined): Keyset {
  const { field, direction } = sort
    ? parseSort<DemandSortField>(sort, 'updatedAt')
    : { field: 'updatedAt' as const, direction: 'DESC' as const };
  const { expr, type, nullable } = SORT_COLUMNS[field];
  return keyset('demands', direction === 'ASC' ? field : `-${field}`, [
    { expr, type, direction, ...(nullable && { nulls: 'LAST' as const }) },
    { expr: 'dm.id', type: 'uuid', direction },
  ]);
}
