import type { EntityManager } from 'typeorm';
import { ProblemEvent } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { UNFINISHED_PROBLEM_STATUSES } from './problem-rules';

/**
 * When an enterprise changes commissioner, its unfinished problems assigned to the old one
 * (or to nobody, when it had none) follow it to the new one, each with a `reassigned` event. Runs in the reassignment's transaction.
 */
export async function handOverProblems(
  manager: EntityManager,
  actor: Actor,
  enterpriseId: string,
  from: string | null,
  to: string,
  reason: string,
  at: Date,
): Promise<string[]> {
  const moved: { id: string }[] = await manager.query(
    // Wrapped in a CTE: a plain UPDATE … RETURNING comes back from TypeORM as [rows, count].
    `WITH moved AS (
       UPDATE problems SET assignee_id = $3, version = version + 1, updated_at = $4
        WHERE enterprise_id = $1 AND assignee_id IS NOT DISTINCT FROM $2 AND status = ANY($5)
        RETURNING id)
     SELECT id FROM moved`,
    [enterpriseId, from, to, at, [...UNFINISHED_PROBLEM_STATUSES]],
  );
  if (moved.length === 0) return [];
  await manager.insert(
    ProblemEvent,
    moved.map(({ id }) => ({
      problemId: id,
      type: 'reassigned' as const,
      action: 'reassign',
      actorId: actor.id,
      note: `enterprise handed over: ${reason}`,
      data: { from, to },
      at,
    })),
  );
  return moved.map(({ id }) => id);
}
