import { ConflictError, FieldError, InvalidInputError } from '@keydesk/common';
import type { DemandStatus } from '@keydesk/database';

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
