/** Mainland mobile (11 digits from 13x-19x) or landline (area code 0xx/0xxx, 7-8 digits, optional extension). */
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$/;

export function isMainlandPhone(value: string): boolean {
  return typeof value === 'string' && (MOBILE.test(value) || LANDLINE.test(value));
}
