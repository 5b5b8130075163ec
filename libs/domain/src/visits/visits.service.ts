import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Clock, InvalidInputError, NotFoundError, Page, PageRequest, pageOffset } from '@keydesk/common';
import { countRows, Enterprise, User, Visit, VisitMethod } from '@keydesk/database';
import { ReminderQueue } from '@keydesk/queue';
import type { Actor } from '../access/actor';
import { applyScope, enterpriseScopeCondition } from '../access/scope';
import { recordAudit } from '../audit/audit';
import { DemandFields, DemandsService } from '../demands/demands.service';
import { refreshVisitSchedule } from '../enterprises/enterprise-derived';
import { assertEnterpriseActive, diffFields } from '../enterprises/enterprise-rules';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ProblemFields, ProblemsService } from '../problems/problems.service';
import { SettingsService } from '../settings/settings.service';
import { VisitView } from './visit.view';
import { visitDateErrors } from './visit-rules';

export interface CreateVisitInput {
  /** The client's own id for the visit: a retry with it gets the visit already saved. */
  clientRequestId?: string;
  visitedAt: Date;
  method: VisitMethod;
  summary: string;
  employeeCount?: number;
  nonLocalStaying?: number;
  unableToReturn?: number;
  returned?: number;
  nextFollowUpAt?: Date;
  demands?: DemandFields[];
  problems?: ProblemFields[];
}

export interface VisitFilter {
  commissionerId?: string;
  enterpriseId?: string;
  from?: Date;
  to?: Date;
  method?: VisitMethod;
}

@Injectable()
export class VisitsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly enterprises: EnterprisesService,
    private readonly demands: DemandsService,
    private readonly problems: ProblemsService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly reminders: ReminderQueue,
  ) {}

  /**
   * Logs a visit with what was found on it — demands, problems, a headcount — in one
   * transaction: one invalid item and nothing is written.
   */
  async create(actor: Actor, enterpriseId: string, input: CreateVisitInput): Promise<VisitView> {
    const now = this.clock.now();
    if (input.visitedAt.getTime() > now.getTime())
      throw InvalidInputError.field('visitedAt', 'must not be in the future');
    const dateErrors = visitDateErrors(input);
    if (dateErrors.length) throw InvalidInputError.fields(dateErrors);
    const { id, problemIds } = await this.db.transaction(async (manager) => {
      const enterprise = await this.enterprises.lockInScope(manager, actor, enterpriseId);
      // A retry of a visit already saved (its answer was lost on the way): the same visit again.
      // The enterprise's lock makes a retry racing its original wait for it.
      const saved = input.clientRequestId ? await savedVisit(manager, actor, input.clientRequestId) : null;
      if (saved) {
        if (saved.enterpriseId !== enterpriseId) {
          throw InvalidInputError.field('clientRequestId', 'belongs to a visit to another enterprise');
        }
        return { id: saved.id, problemIds: [] };
      }
      assertEnterpriseActive(enterprise);
      const visit = await manager.save(
        manager.create(Visit, {
          enterpriseId,
          commissionerId: actor.id,
          clientRequestId: input.clientRequestId ?? null,
          visitedAt: input.visitedAt,
          method: input.method,
          summary: input.summary,
          employeeCount: input.employeeCount ?? null,
          nonLocalStaying: input.nonLocalStaying ?? null,
          unableToReturn: input.unableToReturn ?? null,
          returned: input.returned ?? null,
          nextFollowUpAt: input.nextFollowUpAt ?? null,
          createdAt: now,
        }),
      );
      // Only the latest headcount counts: one from a visit entered late for an earlier date than a
      // visit that already gave one is kept on that visit, as history, and leaves the ledger alone.
      if (input.employeeCount !== undefined && !(await hasLaterHeadcount(manager, enterpriseId, visit))) {
        const changes = diffFields(enterprise, { employeeCount: input.employeeCount });
        if (Object.keys(changes).length > 0) {
          await this.enterprises.applyChanges(manager, actor, enterprise, changes, 'visit', { visitId: visit.id });
        }
      }
      for (const [index, demand] of (input.demands ?? []).entries()) {
        await prefixErrors(`demands.${index}`, () =>
          this.demands.createLocked(manager, actor, enterprise, demand, visit.id),
        );
      }
      const problemIds: string[] = [];
      for (const [index, problem] of (input.problems ?? []).entries()) {
        const created = await prefixErrors(`problems.${index}`, () =>
          this.problems.createLocked(manager, actor, enterprise, problem, visit.id),
        );
        problemIds.push(created.id);
      }
      const { visitCadenceDays } = await this.settings.current(manager);
      await refreshVisitSchedule(manager, [enterpriseId], visitCadenceDays);
      await recordAudit(manager, actor, 'visit.created', { type: 'visit', id: visit.id }, now, {
        enterpriseId,
        demands: input.demands?.length ?? 0,
        problems: input.problems?.length ?? 0,
      });
      return { id: visit.id, problemIds };
    });
    // The visit moves the enterprise's visit reminders; new problems get their own.
    await this.reminders.subjectsChanged([
      { type: 'enterprise', id: enterpriseId },
      ...problemIds.map((problemId) => ({ type: 'problem' as const, id: problemId })),
    ]);
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<VisitView> {
    const row = await this.query(actor).andWhere('v.id = :id', { id }).getRawOne<VisitRow>();
    if (!row) throw new NotFoundError('Visit');
    const [view] = await this.withLinks([row]);
    return view;
  }

  async list(actor: Actor, filter: VisitFilter, page: PageRequest): Promise<Page<VisitView>> {
    const query = this.query(actor);
    if (filter.commissionerId) {
      query.andWhere('v.commissioner_id = :commissionerId', { commissionerId: filter.commissionerId });
    }
    if (filter.enterpriseId) query.andWhere('v.enterprise_id = :enterpriseId', { enterpriseId: filter.enterpriseId });
    if (filter.from) query.andWhere('v.visited_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('v.visited_at <= :to', { to: filter.to });
    if (filter.method) query.andWhere('v.method = :method', { method: filter.method });
    const total = await countRows(query);
    const rows = await query
      .orderBy('v.visited_at', 'DESC')
      .addOrderBy('v.id', 'ASC')
      .offset(pageOffset(page))
      .limit(page.pageSize)
      .getRawMany<VisitRow>();
    return { items: await this.withLinks(rows), total, ...page };
  }

  /** An enterprise's visits: 404 when the enterprise is out of scope, like every route under it. */
  async listForEnterprise(actor: Actor, enterpriseId: string, page: PageRequest): Promise<Page<VisitView>> {
    await this.enterprises.assertVisible(actor, enterpriseId);
    return this.list(actor, { enterpriseId }, page);
  }

  private async withLinks(rows: VisitRow[]): Promise<VisitView[]> {
    const ids = rows.map((row) => row.id);
    const links: { visitId: string; kind: 'demand' | 'problem'; id: string }[] = ids.length
      ? await this.db.query(
          `SELECT source_visit_id AS "visitId", 'demand' AS kind, id FROM demands WHERE source_visit_id = ANY($1)
           UNION ALL
           SELECT source_visit_id, 'problem', id FROM problems WHERE source_visit_id = ANY($1)`,
          [ids],
        )
      : [];
    return rows.map(({ enterpriseName, districtCode, commissionerName, ...row }) => ({
      ...row,
      enterprise: { id: row.enterpriseId, name: enterpriseName, districtCode },
      commissioner: { id: row.commissionerId, displayName: commissionerName },
      demandIds: links.filter((link) => link.visitId === row.id && link.kind === 'demand').map((link) => link.id),
      problemIds: links.filter((link) => link.visitId === row.id && link.kind === 'problem').map((link) => link.id),
    }));
  }

  private query(actor: Actor): SelectQueryBuilder<Visit> {
    const query = this.db
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

interface VisitRow extends Omit<VisitView, 'enterprise' | 'commissioner' | 'demandIds' | 'problemIds'> {
  enterpriseName: string;
  districtCode: string;
  commissionerName: string;
}

/**
 * Whether another visit to the enterprise, later than this one, carries a headcount. Asked with
 * the enterprise locked, so concurrent visits are judged one after another. Of two visits at the
 * same moment, the one entered last is the later (as for `lastVisitAt`).
 */
async function hasLaterHeadcount(manager: EntityManager, enterpriseId: string, visit: Visit): Promise<boolean> {
  const [row]: { later: boolean }[] = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM visits
                     WHERE enterprise_id = $1 AND id <> $2 AND employee_count IS NOT NULL AND visited_at > $3) AS later`,
    [enterpriseId, visit.id, visit.visitedAt],
  );
  return row.later;
}

/** Names an inline item's errors by its place in the visit (`demands.1.headcount`). */
async function prefixErrors<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw InvalidInputError.fields(error.errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message })));
  }
}

function savedVisit(manager: EntityManager, actor: Actor, clientRequestId: string): Promise<Visit | null> {
  return manager.findOneBy(Visit, { commissionerId: actor.id, clientRequestId });
}
