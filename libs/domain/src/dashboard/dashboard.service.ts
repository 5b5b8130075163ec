import { Injectable } from '@nestjs/common';
import { Clock, Page, PageRequest } from '@keydesk/common';
import type { Actor } from '../access/actor';
import { CommissionerTableFilter, DashboardRepository } from '../repositories/dashboard.repository';
import { DashboardCommissionerView, DashboardView } from './dashboard.view';

const DAY_MS = 24 * 3600 * 1000;

/** The window of "the last 30 days" at a moment. */
const last30Days = (now: Date): Date => new Date(now.getTime() - 30 * DAY_MS);

/**
 * The caller's figures at a glance. Each one is defined like the list it summarises (same
 * scope, same conditions), over active enterprises only (SPEC: aggregates leave archived ones out).
 * The per-commissioner table is served apart (`commissioners`): it groups the whole scope by
 * person, which the headline figures never do.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly clock: Clock,
  ) {}

  /** The headline figures; `now` lets the workbook take them at the same moment as its table. */
  async forActor(actor: Actor, now = this.clock.now()): Promise<DashboardView> {
    const since = last30Days(now);
    // A commissioner's scope is a few dozen enterprises: counted directly. A district or the
    // whole city is read from the rollups and from indexes that carry the district.
    return actor.role === 'commissioner' ? this.personal(actor, now, since) : this.byDistricts(actor, now, since);
  }

  /** One page of the per-commissioner table, sorted by the server. */
  async commissioners(
    actor: Actor,
    filter: CommissionerTableFilter,
    page: PageRequest,
  ): Promise<Page<DashboardCommissionerView>> {
    const now = this.clock.now();
    const { items, total } = await this.dashboard.commissionerPage(actor, now, last30Days(now), filter, page);
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  /** The whole per-commissioner table, by displayName (the dashboard's workbook). */
  allCommissioners(actor: Actor, now = this.clock.now()): Promise<DashboardCommissionerView[]> {
    return this.dashboard.allCommissioners(actor, now, last30Days(now));
  }

  private async byDistricts(actor: Actor, now: Date, since: Date): Promise<DashboardView> {
    const row = await this.dashboard.districtFigures(actor, now, since);
    const { load } = row;
    return {
      enterprises: load.enterprises,
      enterprisesWithShortage: load.withShortage,
      totalShortage: load.shortage,
      visits: {
        last30Days: row.visits,
        coverage30Days: coverage(row.visited, load.enterprises),
        overdue: row.overdueVisits,
      },
      problems: {
        open: load.open + load.inProgress,
        notStarted: load.open,
        inProgress: load.inProgress,
        awaitingReview: load.awaitingReview,
        overdue: row.overdueProblems,
        closedLast30Days: row.closed.count,
        medianDaysToClose: row.closed.median === null ? null : Number(row.closed.median),
      },
    };
  }

  /** A commissioner's own enterprises, and the problems assigned to them elsewhere. */
  private async personal(actor: Actor, now: Date, since: Date): Promise<DashboardView> {
    const { ledger, visits, problems } = await this.dashboard.personalFigures(actor, now, since);
    return {
      enterprises: ledger.enterprises,
      enterprisesWithShortage: ledger.withShortage,
      totalShortage: ledger.shortage,
      visits: {
        last30Days: visits,
        coverage30Days: coverage(ledger.visited, ledger.enterprises),
        overdue: ledger.overdue,
      },
      problems: problems,
    };
  }
}

/** Share of enterprises visited, to three decimals. */
const coverage = (visited: number, enterprises: number): number =>
  enterprises ? Math.round((visited / enterprises) * 1000) / 1000 : 0;
