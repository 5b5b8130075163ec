import { ConflictError, InvalidInputError } from '@keydesk/common';
import { checkDemand, demandShortage, nextDemandStatus } from './demand-rules';

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
