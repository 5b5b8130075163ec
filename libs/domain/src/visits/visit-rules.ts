const DAY_MS = 24 * 3600 * 1000;

/** SPEC: the next visit is due at the follow-up the last visit set, else a cadence after it. */
export function nextVisitDueAt(
  latest: { visitedAt: Date; nextFollowUpAt: Date | null } | null,
  cadenceDays: number,
): Date | null {
  if (!latest) return null;
  return latest.nextFollowUpAt ?? new Date(latest.visitedAt.getTime() + cadenceDays * DAY_MS);
}
