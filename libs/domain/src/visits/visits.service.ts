import { Injectable } from '@nestjs/common';
import { Clock, CursorPage, FieldError, InvalidInputError, NotFoundError, pageOf, PageRequest } from '@keydesk/common';
import { VisitMethod } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { DemandFields, DemandsService } from '../demands/demands.service';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ProblemFields, ProblemsService } from '../problems/problems.service';
import { AuditRepository } from '../repositories/audit.repository';
import { VisitFilter, VisitRow, VisitsRepository } from '../repositories/visits.repository';
import { assertEnterpriseActive, diffFields } from '../rules/enterprise-rules';
import { visitFieldErrors } from '../rules/visit-rules';
import { TransactionContext } from '../transactions/transaction-context';
import { VisitView } from './visit.view';

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

@Injectable()
export class VisitsService {
  constructor(
    private readonly tx: TransactionContext,
    private readonly visits: VisitsRepository,
    private readonly audit: AuditRepository,
    private readonly enterprises: EnterprisesService,
    private readonly demands: DemandsService,
    private readonly problems: ProblemsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Logs a visit with what was found on it — demands, problems, a headcount — in one
   * transaction: one invalid item and nothing is written.
   */
  async create(actor: Actor, enterpriseId: string, input: CreateVisitInput): Promise<VisitView> {
    const now = this.clock.now();
    const errors: FieldError[] = [];
    if (input.visitedAt.getTime() > now.getTime())
      errors.push({ field: 'visitedAt', message: 'must not be in the future' });
    errors.push(...visitFieldErrors(input));
    if (errors.length) throw InvalidInputError.fields(errors);
    const id = await this.tx.run(async () => {
      const enterprise = await this.enterprises.lockInScope(actor, enterpriseId);
      // The visit moves the enterprise's visit reminders; new problems announce their own.
      this.tx.publish({ type: 'enterprise.changed', enterpriseId });
      // A retry of a visit already saved (its answer was lost on the way): the same visit again.
      // The enterprise's lock makes a retry racing its original wait for it.
      const saved = input.clientRequestId
        ? await this.visits.findByClientRequest(actor.id, input.clientRequestId)
        : null;
      if (saved) {
        if (saved.enterpriseId !== enterpriseId) {
          throw InvalidInputError.field('clientRequestId', 'belongs to a visit to another enterprise');
        }
        return saved.id;
      }
      assertEnterpriseActive(enterprise);
      const visit = await this.visits.insert({
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
      });
      // Only the latest headcount counts: one from a visit entered late for an earlier date than a
      // visit that already gave one is kept on that visit, as history, and leaves the ledger alone.
      if (input.employeeCount !== undefined && !(await this.visits.hasLaterHeadcount(enterpriseId, visit))) {
        const changes = diffFields(enterprise, { employeeCount: input.employeeCount });
        if (Object.keys(changes).length > 0) {
          await this.enterprises.applyChanges(actor, enterprise, changes, 'visit', { visitId: visit.id });
        }
      }
      await this.demands.createManyLocked(actor, enterprise, input.demands ?? [], visit.id, 'demands');
      await this.problems.createManyLocked(actor, enterprise, input.problems ?? [], visit.id, 'problems');
      await this.enterprises.refreshVisitSchedule([enterpriseId]);
      await this.audit.record(actor, 'visit.created', { type: 'visit', id: visit.id }, now, {
        enterpriseId,
        demands: input.demands?.length ?? 0,
        problems: input.problems?.length ?? 0,
      });
      return visit.id;
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<VisitView> {
    const row = await this.visits.findVisible(actor, id);
    if (!row) throw new NotFoundError('Visit');
    const [view] = await this.withLinks([row]);
    return view;
  }

  async list(actor: Actor, filter: VisitFilter, page: PageRequest): Promise<CursorPage<VisitView>> {
    const { rows, total, nextCursor } = await this.visits.findPage(actor, filter, page);
    return pageOf(await this.withLinks(rows), total, page, nextCursor);
  }

  /**
   * Every visit the list shows for the filter, latest first, batch by batch (the export); read as
   * it is iterated. Without the ids of what each visit found, which a file has no use for.
   */
  listAll(actor: Actor, filter: VisitFilter): AsyncIterable<VisitRow[]> {
    return this.visits.findAll(actor, filter);
  }

  /** An enterprise's visits: 404 when the enterprise is out of scope, like every route under it. */
  async listForEnterprise(actor: Actor, enterpriseId: string, page: PageRequest): Promise<CursorPage<VisitView>> {
    await this.enterprises.assertVisible(actor, enterpriseId);
    return this.list(actor, { enterpriseId }, page);
  }

  private async withLinks(rows: VisitRow[]): Promise<VisitView[]> {
    const links = await this.visits.linksOf(rows.map((row) => row.id));
    return rows.map(({ enterpriseName, districtCode, commissionerName, ...row }) => ({
      ...row,
      enterprise: { id: row.enterpriseId, name: enterpriseName, districtCode },
      commissioner: { id: row.commissionerId, displayName: commissionerName },
      demandIds: links.filter((link) => link.visitId === row.id && link.kind === 'demand').map((link) => link.id),
      problemIds: links.filter((link) => link.visitId === row.id && link.kind === 'problem').map((link) => link.id),
    }));
  }
}
