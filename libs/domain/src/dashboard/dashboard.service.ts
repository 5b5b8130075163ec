import { Injectable } from '@nestjs/common';
import { Clock } from '@keydesk/common';
import type { Actor } from '../access/actor';
import { DashboardRepository } from '../repositories/dashboard.repository';
import { DashboardView } from './dashboard.view';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The caller's figures at a glance. Each one is defined like the list it summarises (same
 * scope, same conditions), over active enterprises only (SPEC: aggregates leave archived ones out).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly clock: Clock,
  ) {}

  async forActor(actor: Actor): Promise<DashboardView> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - 30 * DAY_MS);
    // A commissioner's scope is a few dozen enterprises: counted directly. A district or the
    // whole city is read from the rollups and from indexes that carry the district.
    return actor.role === 'commissioner' ? this.personal(actor, now, since) : this.byDistricts(actor, now, since);
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
      byCommissioner: row.byCommissioner,
    };
  }

  /** A commissioner's own enterprises, and the problems assigned to them elsewhere. */
  private async personal(actor: Actor, now: Date, since: Date): Promise<DashboardView> {
    const { ledger, visits, problems, byCommissioner } = await this.dashboard.personalFigures(actor, now, since);
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
      byCommissioner,
    };
  }
}

/** Share of enterprises visited, to three decimals. */
const coverage = (visited: number, enterprises: number): number =>
  enterprises ? Math.round((visited / enterprises) * 1000) / 1000 : 0;
