import type { FieldError } from '@keydesk/common';
import { ROLES } from '@keydesk/database';
import { isMainlandPhone } from './contact-phone';

/** What the users' fields must be, whoever writes them: the API's forms, the CLI, an import. */
export interface UserFields {
  username?: string;
  password?: string;
  displayName?: string;
  role?: string;
  districtCodes?: readonly string[];
  phone?: string | null;
}

const USERNAME = /^[a-z0-9_.-]{3,32}$/;
const DISTRICT_CODE = /^\d{6}$/;
const PASSWORD_LENGTH = { min: 10, max: 256 };
const DISPLAY_NAME_MAX = 64;
const MAX_DISTRICTS = 50;

/**
 * Every field given that breaks its rule (empty: fine); a field left out is not checked. The same
 * limits as the API's user DTOs. Whether the districts exist, and fit the role, is the service's.
 */
export function userFieldErrors(user: UserFields): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  if (user.username !== undefined && !USERNAME.test(user.username)) {
    fail('username', 'must be 3-32 characters of a-z, 0-9, _ . -');
  }
  if (
    user.password !== undefined &&
    (user.password.length < PASSWORD_LENGTH.min || user.password.length > PASSWORD_LENGTH.max)
  ) {
    fail('password', `must be ${PASSWORD_LENGTH.min}-${PASSWORD_LENGTH.max} characters`);
  }
  if (
    user.displayName !== undefined &&
    (user.displayName.trim().length === 0 || user.displayName.length > DISPLAY_NAME_MAX)
  ) {
    fail('displayName', `must be 1-${DISPLAY_NAME_MAX} characters, not blank`);
  }
  // A name is shown everywhere and travels in list cursors: no control characters (tabs, line breaks, NUL).
  if (user.displayName !== undefined && /\p{Cc}/u.test(user.displayName)) {
    fail('displayName', 'must not contain control characters');
  }
  if (user.role !== undefined && !(ROLES as readonly string[]).includes(user.role)) {
    fail('role', `must be one of ${ROLES.join(', ')}`);
  }
  if (user.districtCodes !== undefined) {
    const codes = user.districtCodes;
    if (!codes.every((code) => DISTRICT_CODE.test(code))) fail('districtCodes', 'each must be a 6-digit district code');
    else if (new Set(codes).size !== codes.length) fail('districtCodes', 'must not name a district twice');
    else if (codes.length > MAX_DISTRICTS) fail('districtCodes', `must name at most ${MAX_DISTRICTS} districts`);
  }
  if (user.phone !== undefined && user.phone !== null && !isMainlandPhone(user.phone)) {
    fail('phone', 'must be a mainland mobile (11 digits) or landline number (0431-88886666)');
  }
  return errors;
}
