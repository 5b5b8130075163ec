import type { ProblemStatus } from '@keydesk/database';
import type { Actor } from './actor';

/** What decides whether an enterprise (and what hangs off it) is visible to someone. */
export interface ScopedEnterprise {
  districtCode: string;
  commissionerId: string | null;
}

/**
 * SPEC "Who uses it": commissioners see the enterprises assigned to them, supervisors the
 * enterprises in their districts (no districts: the whole city), admins everything.
 */
export function canSeeEnterprise(actor: Actor, enterprise: ScopedEnterprise): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'supervisor':
      return supervisorCovers(actor.districtCodes, enterprise.districtCode);
    case 'commissioner':
      return enterprise.commissionerId === actor.id;
  }
}

/** A supervisor covers the enterprises of their districts; one with no districts, the whole city. */
export function supervisorCovers(districtCodes: readonly string[], districtCode: string): boolean {
  return districtCodes.length === 0 || districtCodes.includes(districtCode);
}

/**
 * `supervisorCovers` as SQL, over a user alias (their `district_codes`) and an enterprise alias (or
 * anything carrying the enterprise's `district_code`): the reminders' and the digest's recipients.
 */
export const supervisorCoversSql = (u: string, e: string): string =>
  `(cardinality(${u}.district_codes) = 0 OR ${e}.district_code = ANY(${u}.district_codes))`;

/** Whether a supervisor (or admin) may place an enterprise in this district. */
export function canManageDistrict(actor: Actor, districtCode: string): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'supervisor') return false;
  return supervisorCovers(actor.districtCodes, districtCode);
}

/**
 * The same rule as `canSeeEnterprise`, as a SQL condition on an enterprise alias, so that a
 * list never contains what a single read would refuse. Returns null when nothing is filtered.
 */
export function enterpriseScopeCondition(
  actor: Actor,
  alias: string,
): { sql: string; params: Record<string, unknown> } | null {
  switch (actor.role) {
    case 'admin':
      return null;
    case 'supervisor':
      return actor.districtCodes.length === 0
        ? null
        : { sql: `${alias}.district_code = ANY(:scopeDistricts)`, params: { scopeDistricts: actor.districtCodes } };
    case 'commissioner':
      return { sql: `${alias}.commissioner_id = :scopeCommissioner`, params: { scopeCommissioner: actor.id } };
  }
}

/**
 * A problem is visible with its enterprise; a commissioner also sees the unfinished problems
 * (open, in progress, resolved) assigned to them on enterprises that are not theirs. A closed
 * problem is seen with its enterprise only: a commissioner whose enterprise moved to a colleague
 * keeps no view of its closed problems.
 */
export function canSeeProblem(
  actor: Actor,
  problem: { assigneeId: string | null; status: ProblemStatus },
  enterprise: ScopedEnterprise,
): boolean {
  return (
    canSeeEnterprise(actor, enterprise) ||
    (actor.role === 'commissioner' && problem.assigneeId === actor.id && problem.status !== 'closed')
  );
}

/**
 * The same as `canSeeProblem`, as SQL over a problem alias and its enterprise's alias. A
 * problem carries its enterprise's district (kept by the database), so only a commissioner's
 * condition needs the enterprise joined.
 */
export function problemScopeCondition(
  actor: Actor,
  problemAlias: string,
  enterpriseAlias: string,
): { sql: string; params: Record<string, unknown> } | null {
  if (actor.role !== 'commissioner') return enterpriseScopeCondition(actor, problemAlias);
  return {
    sql:
      `(${enterpriseAlias}.commissioner_id = :scopeCommissioner` +
      ` OR (${problemAlias}.assignee_id = :scopeCommissioner AND ${problemAlias}.status <> 'closed'))`,
    params: { scopeCommissioner: actor.id },
  };
}

export const isManager = (actor: Actor): boolean => actor.role === 'admin' || actor.role === 'supervisor';

/** Narrows a query to a scope condition (from the functions above); no condition, no change. */
export function applyScope<Q extends { andWhere(sql: string, params: Record<string, unknown>): unknown }>(
  query: Q,
  condition: { sql: string; params: Record<string, unknown> } | null,
): Q {
  if (condition) query.andWhere(condition.sql, condition.params);
  return query;
}
