import type { Role } from '@keydesk/database';
import { UsersService, UserView } from '@keydesk/domain';
import type { TestApp } from '../support/test-app';

export const TEST_PASSWORD = 'correct-horse-battery';

let sequence = 0;

export interface TestUser {
  user: UserView;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

/** Creates a user through the domain service and logs them in through the API. */
export async function createUser(
  t: TestApp,
  role: Role,
  options: { districtCodes?: string[]; username?: string; displayName?: string; phone?: string } = {},
): Promise<TestUser> {
  sequence += 1;
  const username = options.username ?? `${role.slice(0, 4)}.${sequence}`;
  const user = await t.app.get(UsersService).create(null, {
    username,
    password: TEST_PASSWORD,
    displayName: options.displayName ?? `${role} ${sequence}`,
    role,
    districtCodes: options.districtCodes,
    phone: options.phone,
  });
  const token = await login(t, username, TEST_PASSWORD);
  return { user, token, auth: `Bearer ${token}` };
}

export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const response = await t.http().post('/api/v1/auth/login').send({ username, password });
  if (response.status !== 200) throw new Error(`login of ${username} answered ${response.status}`);
  return (response.body as { accessToken: string }).accessToken;
}
