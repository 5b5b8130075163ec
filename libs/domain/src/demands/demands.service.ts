import { Injectable } from '@nestjs/common';
import {
  Clock,
  CursorPage,
  FieldError,
  InvalidInputError,
  NotFoundError,
  pageOf,
  PageRequest,
  VersionConflictError,
} from '@keydesk/common';
import { Enterprise, mapBatches, Urgency } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { AuditRepository } from '../repositories/audit.repository';
import { DemandFilter, DemandGrouping, DemandRow, DemandsRepository } from '../repositories/demands.repository';
import { demandFieldErrors, demandShortage, nextDemandStatus } from '../rules/demand-rules';
import { assertEnterpriseActive } from '../rules/enterprise-rules';
import { TransactionContext } from '../transactions/transaction-context';
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

@Injectable()
export class DemandsService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly demands: DemandsRepository,
    private readonly audit: AuditRepository,
    private readonly enterprises: EnterprisesService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, enterpriseId: string, input: DemandFields): Promise<DemandView> {
    const [id] = await this.tx.run(async () => {
      const enterprise = await this.enterprises.lockInScope(actor, enterpriseId);
      return this.createManyLocked(actor, enterprise, [input], null);
    });
    return this.get(actor, id);
  }

  /**
   * Adds demands to an enterprise the caller has locked in scope (one, or a visit's), and keeps
   * the enterprise's shortage in step: one insert, one shortage refresh and one audit statement
   * however many there are, since every statement here runs under the enterprise's lock. With
   * `listField` (`demands`), an invalid item's errors are named by its place in that list.
   */
  createManyLocked(
    actor: Actor,
    enterprise: Enterprise,
    inputs: DemandFields[],
    sourceVisitId: string | null,
    listField?: string,
  ): Promise<string[]> {
    return this.tx.run(async () => {
      if (inputs.length === 0) return [];
      assertEnterpriseActive(enterprise);
      for (const [index, input] of inputs.entries()) {
        await InvalidInputError.within(listField && `${listField}.${index}`, () =>
          this.assertValid(demandFieldErrors(input), input.occupationCategory),
        );
      }
      const now = this.clock.now();
      const ids = await this.demands.insertMany(
        inputs.map((input) => {
          const numbers = {
            headcount: input.headcount,
            filledCount: input.filledCount ?? 0,
            salaryMin: input.salaryMin ?? null,
            salaryMax: input.salaryMax ?? null,
          };
          return {
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
          };
        }),
      );
      await this.enterprises.refreshShortage(enterprise.id);
      await this.audit.recordMany(
        actor,
        'demand.created',
        ids.map((id) => ({ entity: { type: 'demand', id }, details: { enterpriseId: enterprise.id } })),
        now,
      );
      this.tx.publish({ type: 'enterprise.changed', enterpriseId: enterprise.id });
      return ids;
    });
  }

  async update(actor: Actor, id: string, input: UpdateDemandInput): Promise<DemandView> {
    await this.tx.run(async () => {
      const found = await this.demands.findById(id);
      if (!found) throw new NotFoundError('Demand');
      // Lock the enterprise first (as every demand write does), so that shortage sums never race.
      const enterprise = await this.enterprises.lockInScope(actor, found.enterpriseId).catch((error) => {
        throw error instanceof NotFoundError ? new NotFoundError('Demand') : error;
      });
      const demand = await this.demands.lock(id);
      if (input.version !== demand.version) throw new VersionConflictError('Demand', demand.version);
      const { version: _version, status, ...fields } = input;
      const sent = definedOnly(fields);
      const next = { ...demand, ...sent };
      await this.assertValid(demandFieldErrors(sent, demand), sent.occupationCategory);
      next.status = nextDemandStatus(demand.status, next, status === 'cancelled');
      if (demand.status !== 'cancelled' && next.status !== 'cancelled') assertEnterpriseActive(enterprise);
      const now = this.clock.now();
      await this.demands.update(id, {
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
      });
      await this.enterprises.refreshShortage(demand.enterpriseId);
      await this.audit.record(actor, 'demand.updated', { type: 'demand', id }, now, {
        fields: Object.keys(sent),
        status: next.status,
      });
      // A demand list that was just touched is no longer stale.
      this.tx.publish({ type: 'enterprise.changed', enterpriseId: demand.enterpriseId });
    });
    return this.get(actor, id);
  }

  /** 404 unless the demand exists and its enterprise is in the person's scope. */
  async assertVisible(actor: Actor, id: string): Promise<void> {
    if (!(await this.demands.isVisible(actor, id))) throw new NotFoundError('Demand');
  }

  async get(actor: Actor, id: string): Promise<DemandView> {
    const row = await this.demands.findVisible(actor, id);
    if (!row) throw new NotFoundError('Demand');
    return toView(row);
  }

  async list(actor: Actor, filter: DemandFilter, page: PageRequest): Promise<CursorPage<DemandView>> {
    const { rows, total, nextCursor } = await this.demands.findPage(actor, filter, page);
    return pageOf(rows.map(toView), total, page, nextCursor);
  }

  /** Every demand the list shows for the filter, in its order, batch by batch (the export); read as it is iterated. */
  listAll(actor: Actor, filter: DemandFilter): AsyncIterable<DemandView[]> {
    return mapBatches(this.demands.findAll(actor, filter), toView);
  }

  /** An enterprise's demands: 404 when the enterprise is out of scope. */
  async listForEnterprise(
    actor: Actor,
    enterpriseId: string,
    filter: DemandFilter,
    page: PageRequest,
  ): Promise<CursorPage<DemandView>> {
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
        ? await this.demands.summaryCounted(actor, groupBy)
        : await this.demands.summaryRolledUp(actor, groupBy);
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
   * 400 naming every fault: the fields' own, then an occupation category that is not on the
   * reference list (looked up only when the fields are otherwise fine).
   */
  private async assertValid(errors: FieldError[], occupationCategory: string | undefined): Promise<void> {
    if (errors.length) throw InvalidInputError.fields(errors);
    if (occupationCategory !== undefined && !(await this.demands.occupationCategoryExists(occupationCategory))) {
      throw InvalidInputError.field('occupationCategory', 'is not a known occupation category code');
    }
  }
}

function toView(row: DemandRow): DemandView {
  const { enterpriseName, districtCode, ...rest } = row;
  return {
    ...rest,
    enterprise: { id: row.enterpriseId, name: enterpriseName, districtCode },
    shortage: demandShortage(row),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
