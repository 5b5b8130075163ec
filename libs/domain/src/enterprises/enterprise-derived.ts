import type { EntityManager } from 'typeorm';
import type { Tier } from '@keydesk/database';
import { nextVisitDueAt } from '../visits/visit-rules';
import { effectiveVisitCadenceDays } from './enterprise-rules';

/**
 * Derived ledger columns kept in the same transaction as the writes they follow, so the ledger
 * list can filter and sort by them. They never bump the enterprise's version: they are not edits.
 */

/** shortage = Σ (headcount − filled) over the enterprise's open demands. */
export async function refreshShortage(manager: EntityManager, enterpriseId: string): Promise<void> {
  await manager.query(
    `UPDATE enterprises SET shortage = (
       SELECT COALESCE(SUM(headcount - filled_count), 0) FROM demands WHERE enterprise_id = $1 AND status = 'open')
     WHERE id = $1`,
    [enterpriseId],
  );
}

interface ScheduleRow {
  id: string;
  tier: Tier;
  visitCadenceDays: number | null;
  visitedAt: Date | null;
  nextFollowUpAt: Date | null;
}

/**
 * lastVisitAt and nextVisitDueAt from each enterprise's latest visit (by `visitedAt`, so a visit
 * entered late for an earlier date does not move the schedule back).
 */
export async function refreshVisitSchedule(
  manager: EntityManager,
  enterpriseIds: string[],
  cadenceByTier: Record<Tier, number>,
): Promise<void> {
  if (enterpriseIds.length === 0) return;
  const rows: ScheduleRow[] = await manager.query(
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
  await manager.query(
    `UPDATE enterprises e SET last_visit_at = u.last, next_visit_due_at = u.next
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS u(id, last, next)
      WHERE e.id = u.id`,
    [latest.map((row) => row.id), latest.map((row) => row.last), latest.map((row) => row.next)],
  );
}
