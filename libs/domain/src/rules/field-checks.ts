/**
 * The checks the domain's `xxxFieldErrors` share, with their messages. Pure and dependency-free:
 * the browser's rules import them too.
 */

/**
 * What is wrong with a text value, or null. Blank padding does not count towards the minimum;
 * the maximum is the column's (`varchar(n)` counts characters, not UTF-16 units), so it counts
 * every character.
 */
export function textError(value: unknown, { min, max }: { min: number; max: number }): string | null {
  if (typeof value !== 'string') return 'must be text';
  if (value.trim().length < min) return min === 1 ? 'must not be blank' : `must be at least ${min} characters`;
  if ([...value].length > max) return `must be at most ${max} characters`;
  return null;
}

/** What is wrong with a whole number that must lie in [min, max], or null. */
export function wholeNumberError(value: unknown, min: number, max: number): string | null {
  const fits = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  return fits ? null : `must be a whole number from ${min} to ${max}`;
}

/** What is wrong with a coded value, or null; `codes` is the schema's list of the code (`TIERS`, `URGENCIES`, …). */
export function codeError(value: unknown, codes: readonly string[]): string | null {
  return typeof value === 'string' && codes.includes(value) ? null : `must be one of ${codes.join(', ')}`;
}
