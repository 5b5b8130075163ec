import { JwtService } from '@nestjs/jwt';
import { hashPassword } from '@keydesk/domain';
import { createUser, login, TEST_PASSWORD, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

describe('authentication', () => {
  let t: TestApp;
  let admin: TestUser;
  let commissioner: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    commissioner = await createUser(t, 'commissioner', { displayName: '张伟' });
  });
  afterAll(() => t.close());

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
    // Tokens carry whole seconds; let the reset fall in a later second than the login.
    await new Promise((resolve) => setTimeout(resolve, 1100));
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

  describe('failed-login limits', () => {
    it('blocks a user name after repeated failures, with Retry-After, even for the right password', async () => {
      const target = await createUser(t, 'commissioner');
      for (let attempt = 0; attempt < 5; attempt++) {
        await t
          .http()
          .post('/api/v1/auth/login')
          .send({ username: target.user.username, password: 'wrong-password' })
          .expect(401);
      }
      const blocked = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: target.user.username, password: TEST_PASSWORD })
        .expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body).toMatchObject({ status: 429 });
      // Other users from the same address are not affected.
      await login(t, admin.user.username, TEST_PASSWORD);
    });

    it('never blocks successful logins of many different users from one office address', async () => {
      const hash = await hashPassword(TEST_PASSWORD);
      const names = Array.from({ length: 60 }, (_, i) => `office.${i}`);
      for (const name of names) {
        await t.db.query(
          `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $1, 'commissioner', $2)`,
          [name, hash],
        );
      }
      for (const name of names) await login(t, name, TEST_PASSWORD);
      // A colleague's typo does not lock the others out either.
      await t.http().post('/api/v1/auth/login').send({ username: names[0], password: 'typo-typo-typo' }).expect(401);
      await login(t, names[1], TEST_PASSWORD);
    });

    it('blocks an address that fails for many different user names', async () => {
      let status = 401;
      let attempts = 0;
      while (status === 401 && attempts < 100) {
        attempts += 1;
        const response = await t
          .http()
          .post('/api/v1/auth/login')
          .send({ username: `guess.${attempts}`, password: 'guess-guess' });
        status = response.status;
      }
      expect(status).toBe(429);
      // 50 failures per address are allowed in the window (the default), counting this file's earlier ones.
      expect(attempts).toBeGreaterThanOrEqual(30);
      expect(attempts).toBeLessThanOrEqual(51);
    });
  });
});
