import { JwtService } from '@nestjs/jwt';
import { hashPassword } from '@keydesk/domain';
import { createUser, login, TEST_PASSWORD, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

describe('authentication', () => {
  let t: TestApp;
  let admin: TestUser;
  let commissioner: TestUser;

  /** The login limits under test are the defaults; the app sits behind a proxy so each test can use its own address. */
  const LIMIT_VARIABLES = [
    'TRUST_PROXY',
    'LOGIN_MAX_FAILURES_PER_USER',
    'LOGIN_MAX_FAILURES_PER_ADDRESS',
    'LOGIN_FAILURE_WINDOW_SECONDS',
  ];
  const savedEnv = Object.fromEntries(LIMIT_VARIABLES.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    for (const name of LIMIT_VARIABLES) delete process.env[name];
    process.env.TRUST_PROXY = 'true';
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    commissioner = await createUser(t, 'commissioner', { displayName: '张伟' });
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await t?.close();
  });

  const me = (auth?: string) => {
    const call = t.http().get('/api/v1/auth/me');
    return auth ? call.set('Authorization', auth) : call;
  };

  it('logs in with user name and password and answers a bearer token and the user', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: commissioner.user.username, password: TEST_PASSWORD })
      .expect(200);
    expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 8 * 3600 });
    expect(response.body.user).toMatchObject({ username: commissioner.user.username, role: 'commissioner' });
    expect(JSON.stringify(response.body)).not.toMatch(/argon2|passwordHash|password/i);

    const who = await me(`Bearer ${response.body.accessToken}`).expect(200);
    expect(who.body).toMatchObject({ id: commissioner.user.id, displayName: '张伟', role: 'commissioner' });
  });

  it('answers the same 401 for a wrong password and for an unknown user', async () => {
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: admin.user.username, password: 'not-the-password' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.here', password: 'not-the-password' })
      .expect(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.title).toBe(unknown.body.title);
  });

  it('refuses a request without a token, with a malformed one, or with another scheme', async () => {
    await me().expect(401);
    await me('Bearer not.a.jwt').expect(401);
    await me(`Basic ${commissioner.token}`).expect(401);
    const response = await me('Bearer ').expect(401);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses a token signed with another secret, or with no signature at all', async () => {
    const forged = await new JwtService({ secret: 'another-secret-another-secret-123456' }).signAsync(
      { sub: admin.user.id },
      { algorithm: 'HS256', expiresIn: 3600 },
    );
    await me(`Bearer ${forged}`).expect(401);

    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: admin.user.id, iat: Math.floor(Date.now() / 1000) })).toString(
      'base64url',
    );
    await me(`Bearer ${header}.${payload}.`).expect(401);
  });

  it('refuses an expired token', async () => {
    const jwt = t.app.get(JwtService);
    const expired = await jwt.signAsync(
      { sub: admin.user.id, iat: Math.floor(Date.now() / 1000) - 7200 },
      { algorithm: 'HS256', expiresIn: 60 },
    );
    await me(`Bearer ${expired}`).expect(401);
  });

  it('refuses a correctly signed token that never expires', async () => {
    const jwt = t.app.get(JwtService);
    const forever = await jwt.signAsync({ sub: admin.user.id }, { algorithm: 'HS256' });
    await me(`Bearer ${forever}`).expect(401);
    // The same claims that a login gives, with no `exp`.
    const claims = JSON.parse(Buffer.from(admin.token.split('.')[1], 'base64url').toString()) as Record<
      string,
      unknown
    >;
    delete claims.exp;
    const copied = await jwt.signAsync(claims, { algorithm: 'HS256' });
    await me(`Bearer ${copied}`).expect(401);
  });

  /**
   * Logs `user` in and at once applies `change` to them as the admin, until both fall within one
   * second (tokens carry whole seconds; the user record tells when the change was made).
   */
  const loginThenChangeInOneSecond = async (change: Record<string, unknown>, role: 'supervisor' | 'commissioner') => {
    for (let attempt = 1; ; attempt++) {
      const user = await createUser(t, role);
      const token = await login(t, user.user.username, TEST_PASSWORD);
      const changed = await t
        .http()
        .patch(`/api/v1/users/${user.user.id}`)
        .set('Authorization', admin.auth)
        .send(change)
        .expect(200);
      const issuedAt = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number }).iat;
      if (Math.floor(new Date(changed.body.updatedAt as string).getTime() / 1000) === issuedAt || attempt === 10) {
        return { user, token };
      }
    }
  };

  it('ends a session by a password reset made in the same second as its login', async () => {
    const { user, token } = await loginThenChangeInOneSecond({ password: 'a-brand-new-password' }, 'supervisor');
    await me(`Bearer ${token}`).expect(401);
    await me(user.auth).expect(401);
    const fresh = await login(t, user.user.username, 'a-brand-new-password');
    await me(`Bearer ${fresh}`).expect(200);
  });

  it('ends a session by a deactivation made in the same second as its login, also after reactivation', async () => {
    const { user, token } = await loginThenChangeInOneSecond({ active: false }, 'commissioner');
    await me(`Bearer ${token}`).expect(401);
    await t
      .http()
      .patch(`/api/v1/users/${user.user.id}`)
      .set('Authorization', admin.auth)
      .send({ active: true })
      .expect(200);
    await me(`Bearer ${token}`).expect(401);
    const fresh = await login(t, user.user.username, TEST_PASSWORD);
    await me(`Bearer ${fresh}`).expect(200);
  });

  it("stops a deactivated user's token at once, and their login", async () => {
    const leaving = await createUser(t, 'commissioner');
    await me(leaving.auth).expect(200);
    await t
      .http()
      .patch(`/api/v1/users/${leaving.user.id}`)
      .set('Authorization', admin.auth)
      .send({ active: false })
      .expect(200);
    await me(leaving.auth).expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: leaving.user.username, password: TEST_PASSWORD })
      .expect(401);
  });

  it('ends the old sessions when a password is reset', async () => {
    const user = await createUser(t, 'supervisor');
    await t
      .http()
      .patch(`/api/v1/users/${user.user.id}`)
      .set('Authorization', admin.auth)
      .send({ password: 'a-brand-new-password' })
      .expect(200);
    await me(user.auth).expect(401);
    await expect(login(t, user.user.username, TEST_PASSWORD)).rejects.toThrow(/401/);
    const fresh = await login(t, user.user.username, 'a-brand-new-password');
    await me(`Bearer ${fresh}`).expect(200);
  });

  it('validates the login body', async () => {
    const response = await t.http().post('/api/v1/auth/login').send({ username: 'x' }).expect(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    await t.http().post('/api/v1/auth/login').send({ username: 'x', password: 'y', remember: true }).expect(400);
  });

  describe("changing one's own password", () => {
    /** A change as it reaches the API from `address` (TEST-NET-3, one per test). */
    const change = (auth: string, body: Record<string, unknown>, address = '203.0.113.80') =>
      t.http().post('/api/v1/auth/password').set('Authorization', auth).set('X-Forwarded-For', address).send(body);
    const NEW_PASSWORD = 'my-own-new-password';

    it('answers a fresh login that keeps working, ends every other session, and takes the new password from then on', async () => {
      const user = await createUser(t, 'supervisor', { displayName: '李科长' });
      const otherDevice = `Bearer ${await login(t, user.user.username, TEST_PASSWORD)}`;

      const response = await change(user.auth, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(
        200,
      );
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 8 * 3600,
        user: expect.objectContaining({ id: user.user.id, username: user.user.username, displayName: '李科长' }),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|passwordHash|password/i);

      await me(`Bearer ${response.body.accessToken}`).expect(200);
      await me(user.auth).expect(401);
      await me(otherDevice).expect(401);
      await expect(login(t, user.user.username, TEST_PASSWORD)).rejects.toThrow(/401/);
      await me(`Bearer ${await login(t, user.user.username, NEW_PASSWORD)}`).expect(200);

      const [audit] = await t.db.query(
        `SELECT actor_id AS "actorId", action FROM audit_events WHERE entity_id = $1 AND action = 'user.password_changed'`,
        [user.user.id],
      );
      expect(audit).toEqual({ actorId: user.user.id, action: 'user.password_changed' });
    });

    it('answers a wrong current password with 400 on currentPassword, not 401: the session and the password stay', async () => {
      const user = await createUser(t, 'commissioner');
      const response = await change(
        user.auth,
        { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD },
        '203.0.113.81',
      ).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, title: 'Invalid input' });
      expect(response.body.errors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
      await me(user.auth).expect(200);
      await login(t, user.user.username, TEST_PASSWORD);
      await expect(login(t, user.user.username, NEW_PASSWORD)).rejects.toThrow(/401/);
    });

    it.each([
      [
        'a new password under 10 characters',
        { currentPassword: TEST_PASSWORD, newPassword: 'short-pw' },
        'newPassword',
      ],
      [
        'a new password over 256 characters',
        { currentPassword: TEST_PASSWORD, newPassword: 'x'.repeat(257) },
        'newPassword',
      ],
      ['the current password again', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, 'newPassword'],
      ['no current password', { newPassword: NEW_PASSWORD }, 'currentPassword'],
      ['an unknown field', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirm: 'x' }, 'confirm'],
    ])('refuses %s with 400 naming the field, changing nothing', async (_, body, field) => {
      const user = await createUser(t, 'commissioner');
      const response = await change(user.auth, body, '203.0.113.82').expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
      await me(user.auth).expect(200);
      await login(t, user.user.username, TEST_PASSWORD);
    });

    it('needs a valid session', async () => {
      await t
        .http()
        .post('/api/v1/auth/password')
        .send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(401);
    });

    it('counts wrong current passwords as failed logins: after 5, this address gets 429 for that user, here and at login', async () => {
      const address = '203.0.113.83';
      const user = await createUser(t, 'commissioner');
      for (let attempt = 0; attempt < 5; attempt++) {
        await change(
          user.auth,
          { currentPassword: `wrong-guess-${attempt}`, newPassword: NEW_PASSWORD },
          address,
        ).expect(400);
      }
      const blocked = await change(user.auth, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, address);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', address)
        .send({ username: user.user.username, password: TEST_PASSWORD })
        .expect(429);
      // The password did not change, and the session goes on.
      await me(user.auth).expect(200);
    });

    it('shares the count with failed logins: 4 wrong logins and 1 wrong current password block the address', async () => {
      const address = '203.0.113.84';
      const user = await createUser(t, 'commissioner');
      for (let attempt = 0; attempt < 4; attempt++) {
        await t
          .http()
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', address)
          .send({ username: user.user.username, password: 'wrong-password' })
          .expect(401);
      }
      await change(user.auth, { currentPassword: 'wrong-password', newPassword: NEW_PASSWORD }, address).expect(400);
      await change(user.auth, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, address).expect(429);
    });
  });

  describe('failed-login limits', () => {
    /** A login as it reaches the API through the load balancer from `address` (TEST-NET-3, one per test). */
    const loginFrom = (address: string, username: string, password: string) =>
      t.http().post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

    it('blocks a user name on an address after 5 failures, with Retry-After, even for the right password', async () => {
      const address = '203.0.113.10';
      const target = await createUser(t, 'commissioner');
      for (let attempt = 0; attempt < 5; attempt++) {
        await loginFrom(address, target.user.username, 'wrong-password').expect(401);
      }
      const blocked = await loginFrom(address, target.user.username, TEST_PASSWORD).expect(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(blocked.body).toMatchObject({ status: 429 });
      // Other users from the same address are not affected.
      await loginFrom(address, admin.user.username, TEST_PASSWORD).expect(200);
    });

    it('does not hand out a lock-out button: five wrong passwords elsewhere do not keep an admin out', async () => {
      const target = await createUser(t, 'admin');
      for (let attempt = 0; attempt < 5; attempt++) {
        await loginFrom('203.0.113.12', target.user.username, 'wrong-password').expect(401);
      }
      await loginFrom('203.0.113.12', target.user.username, TEST_PASSWORD).expect(429);
      // The admin, from their own address, gets in (perhaps after a short wait) …
      const token = (await loginFrom('203.0.113.13', target.user.username, TEST_PASSWORD).expect(200)).body
        .accessToken as string;
      await me(`Bearer ${token}`).expect(200);
    });

    it("lifts a user name's block when an admin resets the password", async () => {
      const address = '203.0.113.14';
      const target = await createUser(t, 'commissioner');
      for (let attempt = 0; attempt < 5; attempt++) {
        await loginFrom(address, target.user.username, 'wrong-password').expect(401);
      }
      await loginFrom(address, target.user.username, TEST_PASSWORD).expect(429);
      await t
        .http()
        .patch(`/api/v1/users/${target.user.id}`)
        .set('Authorization', admin.auth)
        .send({ password: 'a-brand-new-password' })
        .expect(200);
      await loginFrom(address, target.user.username, 'a-brand-new-password').expect(200);
    });

    it('slows down guesses at one user name from many addresses, but still lets the right password in', async () => {
      const target = await createUser(t, 'supervisor');
      // One wrong password from each of five addresses: no address reaches its own limit.
      for (let attempt = 0; attempt < 5; attempt++) {
        await loginFrom(`203.0.113.${60 + attempt}`, target.user.username, 'wrong-password').expect(401);
      }
      const timed = async (address: string, password: string, status: number) => {
        const started = performance.now();
        await loginFrom(address, target.user.username, password).expect(status);
        return performance.now() - started;
      };
      // Every further check of that name waits, longer and longer …
      const first = await timed('203.0.113.65', 'wrong-password', 401);
      const second = await timed('203.0.113.66', 'wrong-password', 401);
      expect(first).toBeGreaterThanOrEqual(900);
      expect(second).toBeGreaterThanOrEqual(1900);
      // … but the right password from a fresh address is never refused.
      await timed('203.0.113.67', TEST_PASSWORD, 200);
      // A successful login ends the slow-down.
      expect(await timed('203.0.113.68', 'wrong-password', 401)).toBeLessThan(900);
    });

    it('checks no more than 5 wrong passwords when 30 guesses at one user name arrive at once', async () => {
      const trials: { wrongPasswordsChecked: number; rightPassword: number }[] = [];
      for (let trial = 0; trial < 3; trial++) {
        const address = `203.0.113.${70 + trial}`;
        const target = await createUser(t, 'commissioner');
        const right = 10 + trial * 7;
        const responses = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            loginFrom(address, target.user.username, i === right ? TEST_PASSWORD : `wrong-guess-${i}`),
          ),
        );
        const statuses = responses.map((response) => response.status);
        expect(statuses.filter((status) => ![200, 401, 429].includes(status))).toEqual([]);
        trials.push({
          wrongPasswordsChecked: statuses.filter((status) => status === 401).length,
          rightPassword: statuses[right],
        });
      }
      // Each trial: at most 5 passwords checked in all, the right one included when it got in.
      expect(trials.filter((r) => r.wrongPasswordsChecked + (r.rightPassword === 200 ? 1 : 0) > 5)).toEqual([]);
    });

    it('never blocks successful logins of many different users from one office address', async () => {
      const office = '203.0.113.20';
      const hash = await hashPassword(TEST_PASSWORD);
      const names = Array.from({ length: 60 }, (_, i) => `office.${i}`);
      for (const name of names) {
        await t.db.query(
          `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $1, 'commissioner', $2)`,
          [name, hash],
        );
      }
      for (const name of names) await loginFrom(office, name, TEST_PASSWORD).expect(200);
      // A colleague's typo does not lock the others out either.
      await loginFrom(office, names[0], 'typo-typo-typo').expect(401);
      await loginFrom(office, names[1], TEST_PASSWORD).expect(200);
    });

    it('lets an address fail exactly 50 times, counting failures only, and answers 429 to the next', async () => {
      const office = '203.0.113.30';
      const colleagues = [
        await createUser(t, 'commissioner'),
        await createUser(t, 'commissioner'),
        await createUser(t, 'supervisor'),
      ];
      const fail = (attempt: number) => loginFrom(office, `addr.guess.${attempt}`, 'guess-guess-guess');

      // A known name with a wrong password counts like an unknown name.
      await loginFrom(office, colleagues[0].user.username, 'not-my-password').expect(401);
      for (let attempt = 2; attempt <= 49; attempt++) await fail(attempt).expect(401);
      // Colleagues logging in from the same address neither count nor clear the address's failures.
      for (const colleague of colleagues) {
        await loginFrom(office, colleague.user.username, TEST_PASSWORD).expect(200);
      }
      await fail(50).expect(401);

      const blocked = await fail(51).expect(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(blocked.body).toMatchObject({ status: 429 });
      // The address is blocked for every name on it, the right password too …
      await loginFrom(office, colleagues[1].user.username, TEST_PASSWORD).expect(429);
      // … and for no other address.
      await loginFrom('203.0.113.31', colleagues[1].user.username, TEST_PASSWORD).expect(200);
      await loginFrom('203.0.113.31', 'addr.guess.52', 'guess-guess-guess').expect(401);
    });

    it('believes only the address the proxy added, not one the client wrote into X-Forwarded-For', async () => {
      // The client claims a new address every time; the load balancer appends the real one.
      const from = (attempt: number) =>
        t
          .http()
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', `198.51.100.${attempt}, 203.0.113.40`)
          .send({ username: `spoof.guess.${attempt}`, password: 'guess-guess-guess' });
      for (let attempt = 1; attempt <= 50; attempt++) await from(attempt).expect(401);
      await from(51).expect(429);
    });
  });
});
