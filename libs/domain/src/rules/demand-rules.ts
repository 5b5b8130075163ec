import { ConflictError, FieldError, InvalidInputError } from '@keydesk/common';
import { type DemandStatus, URGENCIES, type Urgency } from '@keydesk/database';
import { codeError, textError, wholeNumberError } from './field-checks';

export interface DemandNumbers {
  headcount: number;
  filledCount: number;
  salaryMin: number | null;
  salaryMax: number | null;
}

/** The rules a demand must satisfy after any change, as the list of every one broken (empty: fine). */
export function demandErrors(demand: DemandNumbers): FieldError[] {
  const errors: FieldError[] = [];
  if (!Number.isInteger(demand.headcount) || demand.headcount < 1) {
    errors.push({ field: 'headcount', message: 'must be at least 1' });
  }
  if (demand.filledCount < 0 || demand.filledCount > demand.headcount) {
    errors.push({ field: 'filledCount', message: `must be between 0 and headcount (${demand.headcount})` });
  }
  if (demand.salaryMin !== null && demand.salaryMax !== null && demand.salaryMin > demand.salaryMax) {
    errors.push({ field: 'salaryMin', message: 'must not exceed salaryMax' });
  }
  return errors;
}

/** A demand's own fields, as created or (any subset) changed. */
export interface DemandFieldValues extends DemandNumbers {
  occupation: string;
  occupationCategory: string;
  requirements: string | null;
  neededBy: string | null;
  urgency: Urgency;
}

export const MAX_DEMAND_HEADCOUNT = 100_000;
/** CNY per month. */
export const MAX_DEMAND_SALARY = 1_000_000;

/**
 * What is wrong with the fields written (absent ones are not checked), then with the demand they
 * make together with `current` (the stored demand, for a change) by `demandErrors`; every fault
 * once, as a list (empty: fine). The API's DTOs check the same before the domain is called; this
 * keeps a caller without them (the CLI, an import) from writing what HTTP would refuse. The
 * occupation category is checked against its table by the service.
 */
export function demandFieldErrors(
  written: Partial<DemandFieldValues>,
  current: DemandNumbers | null = null,
): FieldError[] {
  const errors: FieldError[] = [];
  const check = (field: keyof DemandFieldValues, message: string | null) => {
    if (message) errors.push({ field, message });
  };
  const nullable = (value: unknown, error: (value: unknown) => string | null) =>
    value === undefined || value === null ? null : error(value);
  if (written.occupation !== undefined) check('occupation', textError(written.occupation, { min: 1, max: 100 }));
  if (written.headcount !== undefined) {
    check('headcount', wholeNumberError(written.headcount, 1, MAX_DEMAND_HEADCOUNT));
  }
  if (written.filledCount !== undefined) {
    check('filledCount', wholeNumberError(written.filledCount, 0, MAX_DEMAND_HEADCOUNT));
  }
  check(
    'requirements',
    nullable(written.requirements, (value) => textError(value, { min: 0, max: 2000 })),
  );
  check(
    'salaryMin',
    nullable(written.salaryMin, (value) => wholeNumberError(value, 0, MAX_DEMAND_SALARY)),
  );
  check(
    'salaryMax',
    nullable(written.salaryMax, (value) => wholeNumberError(value, 0, MAX_DEMAND_SALARY)),
  );
  if (written.urgency !== undefined) check('urgency', codeError(written.urgency, URGENCIES));
  const defined = Object.fromEntries(Object.entries(written).filter(([, value]) => value !== undefined));
  const demand: Partial<DemandNumbers> = { filledCount: 0, salaryMin: null, salaryMax: null, ...current, ...defined };
  if (demand.headcount !== undefined) {
    const faulty = new Set(errors.map((error) => error.field));
    errors.push(...demandErrors(demand as DemandNumbers).filter((error) => !faulty.has(error.field)));
  }
  return errors;
}

/** `demandErrors` as a 400 naming every broken rule. */
export function checkDemand(demand: DemandNumbers): void {
  const errors = demandErrors(demand);
  if (errors.length) throw InvalidInputError.fields(errors);
}

/**
 * The status after a change: `cancelled` only when asked and then final; otherwise `filled`
 * exactly when every position is filled, else `open`.
 */
export function nextDemandStatus(current: DemandStatus, numbers: DemandNumbers, cancel: boolean): DemandStatus {
  if (current === 'cancelled') throw new ConflictError('a cancelled demand is final and cannot be changed');
  if (cancel) return 'cancelled';
  return numbers.filledCount === numbers.headcount ? 'filled' : 'open';
}

/** What an open demand adds to its enterprise's shortage. */
export function demandShortage(demand: { status: DemandStatus; headcount: number; filledCount: number }): number {
  return demand.status === 'open' ? demand.headcount - demand.filledCount : 0;
}

/** `demandShortage` as SQL over a demand alias. */
export const demandShortageSql = (dm: string): string =>
  `(CASE WHEN ${dm}.status = 'open' THEN ${dm}.headcount - ${dm}.filled_count ELSE 0 END)`;

/** Each enterprise's open demand list: when one of its open demands last changed, and how many are open. */
export function openDemandLists(
  demands: readonly { enterpriseId: string; status: DemandStatus; updatedAt: Date }[],
): Map<string, { lastUpdate: Date; openCount: number }> {
  const lists = new Map<string, { lastUpdate: Date; openCount: number }>();
  for (const demand of demands) {
    if (demand.status !== 'open') continue;
    const list = lists.get(demand.enterpriseId);
    if (!list) lists.set(demand.enterpriseId, { lastUpdate: demand.updatedAt, openCount: 1 });
    else {
      list.openCount += 1;
      if (demand.updatedAt > list.lastUpdate) list.lastUpdate = demand.updatedAt;
    }
  }
  return lists;
}

/**
 * `openDemandLists` as SQL: each enterprise's open demand list as one row: `enterprise_id`, `last_update` (the latest change
 * to one of its open demands, the base of the `demand_stale` reminder) and `open_count`.
 */
export const OPEN_DEMAND_LISTS_SQL = `SELECT enterprise_id, max(updated_at) AS last_update, count(*)::int AS open_count
  FROM demands WHERE status = 'open' GROUP BY enterprise_id`;
