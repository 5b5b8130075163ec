import type { FieldError } from '@keydesk/common';

const DAY_MS = 24 * 3600 * 1000;

/** A follow-up set on a visit is further out than this at most (a year, a leap day included). */
const MAX_FOLLOW_UP_DAYS = 366;

/** A follow-up set on a visit lies after it, and within a year: a later one would silence the reminders. */
export function visitDateErrors(visit: { visitedAt: Date; nextFollowUpAt?: Date | null }): FieldError[] {
  if (!visit.nextFollowUpAt) return [];
  const after = visit.nextFollowUpAt.getTime() - visit.visitedAt.getTime();
  if (after <= 0) return [{ field: 'nextFollowUpAt', message: 'must be after visitedAt' }];
  if (after > MAX_FOLLOW_UP_DAYS * DAY_MS)
    return [{ field: 'nextFollowUpAt', message: 'must be within a year of visitedAt' }];
  return [];
}

/** SPEC: the next visit is due at the follow-up the last visit set, else a cadence after it. */
export function nextVisitDueAt(
  latest: { visitedAt: Date; nextFollowUpAt: Date | null } | null,
  cadenceDays: number,
): Date | null {
  if (!latest) return null;
  return latest.nextFollowUpAt ?? new Date(latest.visitedAt.getTime() + cadenceDays * DAY_MS);
}

/**
 * A visit due within N days is one whose nextVisitDueAt lies before now + N days: the overdue
 * ones included, N = 0 meaning overdue only. Never-visited enterprises have no due date.
 */
export function visitDueCutoff(withinDays: number, now: Date): Date {
  return new Date(now.getTime() + withinDays * DAY_MS);
}
