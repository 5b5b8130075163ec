import type { FieldError } from '@keydesk/common';

const DAY_MS = 24 * 3600 * 1000;

/** A follow-up set on a visit lies after it. */
export function visitDateErrors(visit: { visitedAt: Date; nextFollowUpAt?: Date | null }): FieldError[] {
  return visit.nextFollowUpAt && visit.nextFollowUpAt.getTime() <= visit.visitedAt.getTime()
    ? [{ field: 'nextFollowUpAt', message: 'must be after visitedAt' }]
    : [];
}

/** SPEC: the next visit is due at the follow-up the last visit set, else a cadence after it. */
export function nextVisitDueAt(
  latest: { visitedAt: Date; nextFollowUpAt: Date | null } | null,
  cadenceDays: number,
): Date | null {
  if (!latest) return null;
  return latest.nextFollowUpAt ?? new Date(latest.visitedAt.getTime() + cadenceDays * DAY_MS);
}
