import { ConflictError, InvalidInputError } from '@keydesk/common';
import { URGENCIES, type Urgency } from '@keydesk/database';
import { checkDemand, demandFieldErrors, demandShortage, nextDemandStatus } from './demand-rules';

const numbers = (
  headcount: number,
  filledCount: number,
  salaryMin: number | null = null,
  salaryMax: number | null = null,
) => ({
  headcount,
  filledCount,
  salaryMin,
  salaryMax,
});

describe('demand rules', () => {
  it('accepts a demand within its bounds', () => {
    expect(() => checkDemand(numbers(5, 0, 4000, 6000))).not.toThrow();
    expect(() => checkDemand(numbers(5, 5))).not.toThrow();
  });

  it.each([
    ['headcount below 1', numbers(0, 0), 'headcount'],
    ['filled above headcount', numbers(3, 4), 'filledCount'],
    ['negative filled', numbers(3, -1), 'filledCount'],
    ['salary range reversed', numbers(3, 0, 8000, 6000), 'salaryMin'],
  ])('refuses %s', (_, demand, field) => {
    let error: unknown;
    try {
      checkDemand(demand);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('is filled exactly when every position is filled, and open again when one is not', () => {
    expect(nextDemandStatus('open', numbers(3, 3), false)).toBe('filled');
    expect(nextDemandStatus('filled', numbers(4, 3), false)).toBe('open');
    expect(nextDemandStatus('open', numbers(4, 3), false)).toBe('open');
  });

  it('cancels only when asked, and a cancelled demand stays cancelled', () => {
    expect(nextDemandStatus('open', numbers(4, 1), true)).toBe('cancelled');
    expect(() => nextDemandStatus('cancelled', numbers(4, 1), false)).toThrow(ConflictError);
  });

  it('adds to the shortage only while open', () => {
    expect(demandShortage({ status: 'open', headcount: 10, filledCount: 3 })).toBe(7);
    expect(demandShortage({ status: 'filled', headcount: 10, filledCount: 10 })).toBe(0);
    expect(demandShortage({ status: 'cancelled', headcount: 10, filledCount: 3 })).toBe(0);
  });
});

describe('a demand’s fields', () => {
  const valid = {
    occupation: '焊工',
    occupationCategory: '6',
    headcount: 5,
    requirements: null,
    salaryMin: 4000,
    salaryMax: 6000,
    neededBy: null,
    urgency: 'normal',
  } as const;
  const fieldsOf = (errors: { field: string }[]) => errors.map((error) => error.field);

  it('accepts a new demand within its bounds, and every urgency of the schema', () => {
    expect(demandFieldErrors(valid)).toEqual([]);
    for (const urgency of URGENCIES) expect(demandFieldErrors({ ...valid, urgency })).toEqual([]);
  });

  it('names every fault of the fields at once', () => {
    const errors = demandFieldErrors({
      occupation: '  ',
      headcount: 100_001,
      filledCount: 1.5,
      requirements: 'x'.repeat(2001),
      salaryMin: -1,
      salaryMax: 1_000_001,
      urgency: 'someday' as Urgency,
    });
    expect(fieldsOf(errors)).toEqual([
      'occupation',
      'headcount',
      'filledCount',
      'requirements',
      'salaryMin',
      'salaryMax',
      'urgency',
    ]);
    expect(errors[1].message).toBe('must be a whole number from 1 to 100000');
  });

  it('checks the demand the fields make, naming a field at fault once', () => {
    expect(demandFieldErrors({ ...valid, filledCount: 6 })).toEqual([
      { field: 'filledCount', message: 'must be between 0 and headcount (5)' },
    ]);
    expect(fieldsOf(demandFieldErrors({ ...valid, headcount: 0 }))).toEqual(['headcount']);
    expect(fieldsOf(demandFieldErrors({ ...valid, salaryMin: 7000 }))).toEqual(['salaryMin']);
  });

  it('checks a change against the stored demand, and only the fields it sends', () => {
    const stored = { headcount: 5, filledCount: 2, salaryMin: 4000, salaryMax: 6000 };
    expect(demandFieldErrors({ filledCount: 5 }, stored)).toEqual([]);
    expect(fieldsOf(demandFieldErrors({ headcount: 1 }, stored))).toEqual(['filledCount']);
    expect(fieldsOf(demandFieldErrors({ salaryMax: 3000 }, stored))).toEqual(['salaryMin']);
    expect(demandFieldErrors({ salaryMin: null, requirements: null }, stored)).toEqual([]);
  });
});
