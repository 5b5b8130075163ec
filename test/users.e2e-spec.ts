import { UsersService } from '@keydesk/domain';
import { createUser, login, TEST_PASSWORD, TestUser } from './factories/users.factory';
import { expectCursorPagesMatchOffsetPages } from './support/paging';
import { createTestApp, TestApp } from './support/test-app';

describe('/users (admin only)', () => {
  let t: TestApp;
  let admin: TestUser;
  let supervisor: TestUser;
  let commissioner: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    supervisor = await createUser(t, 'supervisor');
    commissioner = await createUser(t, 'commissioner');
  });
  afterAll(() => t.close());

  const newUser = (overrides: Record<string, unknown> = {}) => ({
    username: 'li.na',
    password: 'a-long-enough-password',
    displayName: '李娜',
    role: 'supervisor',
    districtCodes: ['220102', '220104'],
    phone: '13912345678',
    ...overrides,
  });

  it('refuses supervisors and commissioners with 403', async () => {
    for (const caller of [supervisor, commissioner]) {
      await t.http().get('/api/v1/users').set('Authorization', caller.auth).expect(403);
      await t.http().post('/api/v1/users').set('Authorization', caller.auth).send(newUser()).expect(403);
      await t.http().get(`/api/v1/users/${admin.user.id}`).set('Authorization', caller.auth).expect(403);
      await t
        .http()
        .patch(`/api/v1/users/${caller.user.id}`)
        .set('Authorization', caller.auth)
        .send({ role: 'admin' })
        .expect(403);
    }
  });

  it('creates a user who can then log in; the password never comes back', async () => {
    const created = await t.http().post('/api/v1/users').set('Authorization', admin.auth).send(newUser()).expect(201);
    expect(created.body).toMatchObject({
      username: 'li.na',
      displayName: '李娜',
      role: 'supervisor',
      districtCodes: ['220102', '220104'],
      phone: '13912345678',
      active: true,
      version: 1,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password|argon2/i);
    await login(t, 'li.na', 'a-long-enough-password');

    const listed = await t.http().get('/api/v1/users?role=supervisor').set('Authorization', admin.auth).expect(200);
    expect(listed.body.items.map((user: { username: string }) => user.username)).toContain('li.na');
    expect(JSON.stringify(listed.body)).not.toMatch(/password|argon2/i);
  });

  it('refuses a taken user name with 409', async () => {
    await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send(newUser({ username: admin.user.username }))
      .expect(409);
  });

  it.each([
    ['a user name with capitals', { username: 'Li.Na' }, 'username'],
    ['a user name too short', { username: 'ab' }, 'username'],
    ['a short password', { password: 'short' }, 'password'],
    ['an unknown role', { role: 'owner' }, 'role'],
    ['districts for a commissioner', { role: 'commissioner', username: 'c.x' }, 'districtCodes'],
    ['an unknown district', { districtCodes: ['999999'] }, 'districtCodes'],
    ['a bad phone', { phone: '12345' }, 'phone'],
    ['an unknown field', { shoeSize: 42 }, 'shoeSize'],
    ['a display name of the wrong type', { displayName: 42 }, 'displayName'],
  ])('refuses %s with 400 naming the field', async (_, overrides, field) => {
    const response = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send(newUser({ username: 'fresh.user', ...overrides }))
      .expect(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    const count = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE username IN ('fresh.user', 'c.x')`);
    expect(count[0].n).toBe(0);
  });

  it('updates role, districts and active, checking the version when sent', async () => {
    const user = await createUser(t, 'commissioner');
    const promoted = await t
      .http()
      .patch(`/api/v1/users/${user.user.id}`)
      .set('Authorization', admin.auth)
      .send({ role: 'supervisor', districtCodes: ['220105'], version: 1 })
      .expect(200);
    expect(promoted.body).toMatchObject({ role: 'supervisor', districtCodes: ['220105'], version: 2 });

    await t
      .http()
      .patch(`/api/v1/users/${user.user.id}`)
      .set('Authorization', admin.auth)
      .send({ displayName: 'stale', version: 1 })
      .expect(409);

    const demoted = await t
      .http()
      .patch(`/api/v1/users/${user.user.id}`)
      .set('Authorization', admin.auth)
      .send({ role: 'commissioner' })
      .expect(200);
    // A commissioner has no districts.
    expect(demoted.body).toMatchObject({ role: 'commissioner', districtCodes: [], version: 3 });
  });

  it('does not let an admin lock themselves out', async () => {
    await t
      .http()
      .patch(`/api/v1/users/${admin.user.id}`)
      .set('Authorization', admin.auth)
      .send({ active: false })
      .expect(409);
    await t
      .http()
      .patch(`/api/v1/users/${admin.user.id}`)
      .set('Authorization', admin.auth)
      .send({ role: 'commissioner' })
      .expect(409);
  });

  it('keeps one active admin: of two admins removing each other at once, the second is refused', async () => {
    const first = await createUser(t, 'admin');
    const second = await createUser(t, 'admin');
    // Only these two are active admins while the test runs; the others are put back afterwards.
    const others: { id: string }[] = await t.db.query(
      `SELECT id FROM users WHERE role = 'admin' AND active AND id <> ALL($1)`,
      [[first.user.id, second.user.id]],
    );
    await t.db.query(`UPDATE users SET active = false WHERE id = ANY($1)`, [others.map((row) => row.id)]);
    try {
      const answers = await Promise.all([
        t.http().patch(`/api/v1/users/${second.user.id}`).set('Authorization', first.auth).send({ active: false }),
        t.http().patch(`/api/v1/users/${first.user.id}`).set('Authorization', second.auth).send({ role: 'supervisor' }),
      ]);
      // One removal goes through. The other is refused: 409 when it reaches the lock second, or 401
      // when its author was already deactivated by the first before their request was admitted.
      const statuses = answers.map((answer) => answer.status).sort();
      expect([JSON.stringify([200, 401]), JSON.stringify([200, 409])]).toContain(JSON.stringify(statuses));
      const refused = answers.find((answer) => answer.status === 409);
      if (refused)
        expect(refused.body.detail).toBe('the last active admin cannot be deactivated or given another role');
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM users WHERE role = 'admin' AND active`);
      expect(count).toBe(1);
    } finally {
      await t.db.query(`UPDATE users SET active = true WHERE id = ANY($1)`, [others.map((row) => row.id)]);
    }
  });

  it('answers 404 for an unknown user id', async () => {
    await t
      .http()
      .get('/api/v1/users/00000000-0000-4000-8000-000000000000')
      .set('Authorization', admin.auth)
      .expect(404);
    await t.http().get('/api/v1/users/not-a-uuid').set('Authorization', admin.auth).expect(404);
  });

  it('pages the list within limits', async () => {
    const page = await t.http().get('/api/v1/users?page=1&pageSize=2').set('Authorization', admin.auth).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(page.body.total).toBeGreaterThan(2);
    await t.http().get('/api/v1/users?pageSize=101').set('Authorization', admin.auth).expect(400);
    await t.http().get('/api/v1/users?page=0').set('Authorization', admin.auth).expect(400);
  });

  it('writes an audit event for every change', async () => {
    const rows = await t.db.query(
      `SELECT action, actor_id AS "actorId", request_id AS "requestId" FROM audit_events WHERE entity_type = 'user'`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'user.created', actorId: admin.user.id }),
        expect.objectContaining({ action: 'user.updated', actorId: admin.user.id }),
      ]),
    );
    expect(
      rows.filter((row: { actorId: string | null; requestId: string | null }) => row.actorId && !row.requestId),
    ).toHaveLength(0);
  });

  it('pages by cursor as by page number, with filters', async () => {
    const all = await expectCursorPagesMatchOffsetPages(t, admin.auth, '/api/v1/users', '', 2);
    expect(all.length).toBeGreaterThan(3);
    await expectCursorPagesMatchOffsetPages(t, admin.auth, '/api/v1/users', 'role=supervisor&active=true', 1);
    await t.http().get('/api/v1/users?after=bm90IGEgY3Vyc29y').set('Authorization', admin.auth).expect(400);
  });

  it('creates the first admin from KEYDESK_ADMIN_PASSWORD only on an empty database', async () => {
    expect(await t.app.get(UsersService).createInitialAdmin(TEST_PASSWORD)).toBe(false);
    await t.db.query('DELETE FROM audit_events');
    await t.db.query('DELETE FROM users');
    expect(await t.app.get(UsersService).createInitialAdmin('the-first-admin-password')).toBe(true);
    expect(await t.app.get(UsersService).createInitialAdmin('a-second-try-password')).toBe(false);
    await login(t, 'admin', 'the-first-admin-password');
    const audit = await t.db.query(`SELECT action, actor_id AS "actorId" FROM audit_events`);
    expect(audit).toEqual([{ action: 'user.created', actorId: null }]);
  });
});
