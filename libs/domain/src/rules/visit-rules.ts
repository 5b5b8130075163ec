import type { FieldError } from '@keydesk/common';
import { VISIT_METHODS, type VisitMethod } from '@keydesk/database';
import { demandFieldErrors, type DemandFieldValues } from './demand-rules';
import { codeError, textError, wholeNumberError } from './field-checks';
import { problemFieldErrors, type ProblemFieldValues } from './problem-rules';

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

/** What a visit records, with the demands and problems found on it. */
export interface VisitFieldValues {
  visitedAt: Date;
  method: VisitMethod;
  summary: string;
  employeeCount?: number;
  nonLocalStaying?: number;
  unableToReturn?: number;
  returned?: number;
  nextFollowUpAt?: Date | null;
  demands?: Partial<DemandFieldValues>[];
  problems?: Partial<ProblemFieldValues>[];
}

/** The headcounts a visit may record. */
export const MAX_VISIT_COUNT = 10_000_000;
/** Items found on one visit, at most: they are written under the enterprise's lock. */
export const MAX_VISIT_ITEMS = 50;

const COUNT_FIELDS = ['employeeCount', 'nonLocalStaying', 'unableToReturn', 'returned'] as const;

/**
 * What is wrong with a visit about to be logged, its inline demands and problems included (named by
 * their place: `demands.1.headcount`), as the list of every fault (empty: fine). The API's DTOs
 * check the same before the domain is called; this keeps a caller without them (the CLI, an
 * import) from writing what HTTP would refuse. Clock-dependent rules (not in the future) are the
 * service's.
 */
export function visitFieldErrors(visit: VisitFieldValues): FieldError[] {
  const errors: FieldError[] = [];
  const check = (field: string, message: string | null) => {
    if (message) errors.push({ field, message });
  };
  check('method', codeError(visit.method, VISIT_METHODS));
  check('summary', textError(visit.summary, { min: 2, max: 4000 }));
  for (const field of COUNT_FIELDS) {
    if (visit[field] !== undefined) check(field, wholeNumberError(visit[field], 0, MAX_VISIT_COUNT));
  }
  errors.push(...visitDateErrors(visit));
  const items = <T>(field: 'demands' | 'problems', list: T[] | undefined, itemErrors: (item: T) => FieldError[]) => {
    if (!list) return;
    if (list.length > MAX_VISIT_ITEMS) check(field, `must hold at most ${MAX_VISIT_ITEMS} items`);
    for (const [index, item] of list.entries()) {
      errors.push(...itemErrors(item).map((e) => ({ field: `${field}.${index}.${e.field}`, message: e.message })));
    }
  };
  items('demands', visit.demands, (demand) => demandFieldErrors(demand));
  items('problems', visit.problems, problemFieldErrors);
  return errors;
}
