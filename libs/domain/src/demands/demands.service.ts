import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  Clock,
  escapeLike,
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
  namedQuery,
  Demand,
  DemandStatus,
  Enterprise,
  OccupationCategory,
  Urgency,
} from '@keydesk/database';
import { ReminderQueue } from '@keydesk/queue';
import type { Actor } from '../access/actor';
import { applyScope, enterpriseScopeCondition } from '../access/scope';
import { recordAudit } from '../audit/audit';
import { refreshShortage } from '../enterprises/enterprise-derived';
import { assertEnterpriseActive } from '../enterprises/enterprise-rules';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { checkDemand, nextDemandStatus } from './demand-rules';
import { DemandSummaryView, DemandView } from './demand.view';

export interface DemandFields {
  occupation: string;
  occupationCategory: string;
  headcount: number;
  filledCount?: number;
  requirements?: string | null;
  salaryMin?: number | null;
  salaryMax?: number | null;
  neededBy?: string | null;
  urgency?: Urgency;
}

export type UpdateDemandInput = Partial<DemandFields> & { version: number; status?: 'cancelled' };

export const DEMAND_SORT_FIELDS = ['updatedAt', 'createdAt', 'neededBy', 'headcount', 'shortage'] as const;
type DemandSortField = (typeof DEMAND_SORT_FIELDS)[number];
const SORT_COLUMNS: Record<DemandSortField, string> = {
  updatedAt: 'dm.updated_at',
  createdAt: 'dm.created_at',
  neededBy: 'dm.needed_by',
  headcount: 'dm.headcount',
  shortage: '(dm.headcount - dm.filled_count)',
};

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

export const DEMAND_GROUPINGS = ['district', 'industry', 'occupationCategory'] as const;
export type DemandGrouping = (typeof DEMAND_GROUPINGS)[number];

@Injectable()
export class DemandsService {
  /**
   * Occupation categories are reference data that migrations add and nothing removes: a code
   * once found stays valid, so each process looks a code up only until it has seen it (logging a
   * visit with two demands saved two round trips inside the enterprise's lock).
   */
  private readonly knownCategories = new Set<string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly enterprises: EnterprisesService,
    private readonly clock: Clock,
    private readonly reminders: ReminderQueue,
  ) {}

  async create(actor: Actor, enterpriseId: string, input: DemandFields): Promise<DemandView> {
    const id = await this.db.transaction(async (manager) => {
      const enterprise = await this.enterprises.lockInScope(manager, actor, enterpriseId);
      const demand = await this.createLocked(manager, actor, enterprise, input, null);
      return demand.id;
    });
    await this.reminders.subjectsChanged([{ type: 'enterprise', id: enterpriseId }]);
    return this.get(actor, id);
  }

  /**
   * Adds a demand to an enterprise the caller has locked in scope (also used by visits), and
   * keeps the enterprise's shortage in step.
   */
  async createLocked(
    manager: EntityManager,
    actor: Actor,
    enterprise: Enterprise,
    input: DemandFields,
    sourceVisitId: string | null,
  ): Promise<Demand> {
    assertEnterpriseActive(enterprise);
    const numbers = {
      headcount: input.headcount,
      filledCount: input.filledCount ?? 0,
      salaryMin: input.salaryMin ?? null,
      salaryMax: input.salaryMax ?? null,
    };
    checkDemand(numbers);
    await this.assertOccupationCategory(manager, input.occupationCategory);
    const now = this.clock.now();
    const demand = await manager.save(
      manager.create(Demand, {
        enterpriseId: enterprise.id,
        occupation: input.occupation,
        occupationCategory: input.occupationCategory,
        ...numbers,
        requirements: input.requirements ?? null,
        neededBy: input.neededBy ?? null,
        urgency: input.urgency ?? 'normal',
        status: nextDemandStatus('open', numbers, false),
        sourceVisitId,
        createdById: actor.id,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await refreshShortage(manager, enterprise.id);
    await recordAudit(manager, actor, 'demand.created', { type: 'demand', id: demand.id }, now, {
      enterpriseId: enterprise.id,
    });
    return demand;
  }

  async update(actor: Actor, id: string, input: UpdateDemandInput): Promise<DemandView> {
    const enterpriseId = await this.db.transaction(async (manager) => {
      const found = await manager.findOneBy(Demand, { id });
      if (!found) throw new NotFoundError('Demand');
      // Lock the enterprise first (as every demand write does), so that shortage sums never race.
      const enterprise = await this.enterprises.lockInScope(manager, actor, found.enterpriseId).catch((error) => {
        throw error instanceof NotFoundError ? new NotFoundError('Demand') : error;
      });
      const demand = await manager.findOneOrFail(Demand, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (input.version !== demand.version) throw new VersionConflictError('Demand', demand.version);
      const { version: _version, status, ...fields } = input;
      const next = { ...demand, ...definedOnly(fields) };
      checkDemand(next);
      if (fields.occupationCategory) await this.assertOccupationCategory(manager, fields.occupationCategory);
      next.status = nextDemandStatus(demand.status, next, status === 'cancelled');
      if (demand.status !== 'cancelled' && next.status !== 'cancelled') assertEnterpriseActive(enterprise);
      const now = this.clock.now();
      await manager.update(
        Demand,
        { id },
        {
          occupation: next.occupation,
          occupationCategory: next.occupationCategory,
          headcount: next.headcount,
          filledCount: next.filledCount,
          requirements: next.requirements,
          salaryMin: next.salaryMin,
          salaryMax: next.salaryMax,
          neededBy: next.neededBy,
          urgency: next.urgency,
          status: next.status,
          version: demand.version + 1,
          updatedAt: now,
        },
      );
      await refreshShortage(manager, demand.enterpriseId);
      await recordAudit(manager, actor, 'demand.updated', { type: 'demand', id }, now, {
        fields: Object.keys(definedOnly(fields)),
        status: next.status,
      });
      return demand.enterpriseId;
    });
    // A demand list that was just touched is no longer stale.
    await this.reminders.subjectsChanged([{ type: 'enterprise', id: enterpriseId }]);
    return this.get(actor, id);
  }

  /** 404 unless the demand exists and its enterprise is in the person's scope. */
  async assertVisible(actor: Actor, id: string): Promise<void> {
    if (!(await this.query(actor).andWhere('dm.id = :id', { id }).getExists())) throw new NotFoundError('Demand');
  }

  async get(actor: Actor, id: string): Promise<DemandView> {
    const row = await this.query(actor).andWhere('dm.id = :id', { id }).getRawOne<DemandRow>();
    if (!row) throw new NotFoundError('Demand');
    return toView(row);
  }

  async list(actor: Actor, filter: DemandFilter, page: PageRequest): Promise<Page<DemandView>> {
    const query = this.query(actor);
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
    const total = await countRows(query);
    const sort = filter.sort ? parseSort<DemandSortField>(filter.sort, 'updatedAt') : null;
    query.orderBy(sort ? SORT_COLUMNS[sort.field] : 'dm.updated_at', sort?.direction ?? 'DESC', 'NULLS LAST');
    const rows = await query
      .addOrderBy('dm.id', 'ASC')
      .offset(pageOffset(page))
      .limit(page.pageSize)
      .getRawMany<DemandRow>();
    return { items: rows.map(toView), total, ...page };
  }

  /** An enterprise's demands: 404 when the enterprise is out of scope. */
  async listForEnterprise(
    actor: Actor,
    enterpriseId: string,
    filter: DemandFilter,
    page: PageRequest,
  ): Promise<Page<DemandView>> {
    await this.enterprises.assertVisible(actor, enterpriseId);
    return this.list(actor, { ...filter, enterpriseId }, page);
  }

  /**
   * Open demands of active enterprises in scope, grouped; totals equal Σ of the enterprises'
   * shortage. A district or the city is read from the rollups, a commissioner's few dozen
   * enterprises are counted.
   */
  async summary(actor: Actor, groupBy: DemandGrouping): Promise<DemandSummaryView> {
    const summary =
      actor.role === 'commissioner'
        ? await this.summaryCounted(actor, groupBy)
        : await this.summaryRolledUp(actor, groupBy);
    return {
      items: summary.items.map(({ key, name, enterprises, openDemands, shortage }) => ({
        key,
        name,
        enterprises,
        openDemands,
        shortage,
      })),
      totals: summary.totals ?? { enterprises: 0, openDemands: 0, shortage: 0 },
    };
  }

  /**
   * Districts or the whole city, from `demand_rollups` (kept in the writing transactions): per
   * district, industry and occupation category the active enterprises with an open demand there,
   * their open demands and shortage; category '' holds the same per enterprise in all categories.
   */
  private async summaryRolledUp(actor: Actor, groupBy: DemandGrouping): Promise<SummaryRows> {
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
        this.db,
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
        this.db,
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
  private async summaryCounted(actor: Actor, groupBy: DemandGrouping): Promise<SummaryRows> {
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
             COUNT(*)::int AS demands, SUM(dm.headcount - dm.filled_count)::int AS shortage
        FROM demands dm JOIN enterprises e ON e.id = dm.enterprise_id AND e.status = 'active'
       WHERE dm.status = 'open' ${scope ? `AND ${scope.sql}` : ''}
       GROUP BY dm.enterprise_id, e.district_code, e.industry_code${withCategory ? ', dm.occupation_category' : ''}`;
    const [items, [totals]] = await Promise.all([
      namedQuery<DemandSummaryView['items'][number]>(
        this.db,
        `SELECT ${key} AS key, g.name, COUNT(*)::int AS enterprises,
                SUM(d.demands)::int AS "openDemands", SUM(d.shortage)::int AS shortage
           FROM (${perEnterprise(groupBy === 'occupationCategory')}) d JOIN ${table} g ON g.code = ${key}
          GROUP BY ${key}, g.name
          ORDER BY shortage DESC, key ASC`,
        scope?.params ?? {},
      ),
      namedQuery<DemandSummaryView['totals']>(
        this.db,
        `SELECT COUNT(*)::int AS enterprises, COALESCE(SUM(d.demands), 0)::int AS "openDemands",
                COALESCE(SUM(d.shortage), 0)::int AS shortage
           FROM (${perEnterprise(false)}) d`,
        scope?.params ?? {},
      ),
    ]);
    return { items, totals };
  }

  private async assertOccupationCategory(manager: EntityManager, code: string): Promise<void> {
    if (this.knownCategories.has(code)) return;
    if (!(await manager.existsBy(OccupationCategory, { code }))) {
      throw InvalidInputError.field('occupationCategory', 'is not a known occupation category code');
    }
    this.knownCategories.add(code);
  }

  private query(actor: Actor): SelectQueryBuilder<Demand> {
    const query = this.db
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

interface DemandRow extends Omit<DemandView, 'enterprise' | 'shortage'> {
  enterpriseName: string;
  districtCode: string;
}

function toView(row: DemandRow): DemandView {
  const { enterpriseName, districtCode, ...rest } = row;
  return {
    ...rest,
    enterprise: { id: row.enterpriseId, name: enterpriseName, districtCode },
    shortage: row.status === 'open' ? row.headcount - row.filledCount : 0,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface SummaryRows {
  items: DemandSummaryView['items'];
  totals: DemandSummaryView['totals'] | undefined;
}
