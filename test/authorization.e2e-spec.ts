import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { Created, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

/**
 * A role that may not act hears 403 whatever its request body holds (never the validation rules
 * of a form it may not send); on a record it cannot see, 404 — scope is decided first.
 */
describe('authorization before validation', () => {
  let t: TestApp;
  let admin: TestUser;
  let supervisor: TestUser;
  let zhang: TestUser;
  let liu: TestUser;
  let mine: CreatedEnterprise;
  let theirs: CreatedEnterprise;
  let problem: Created;
  let othersProblem: Created;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    supervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    zhang = await createUser(t, 'commissioner');
    liu = await createUser(t, 'commissioner');
    mine = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
    theirs = await createEnterprise(t, admin.auth, { districtCode: '220104', commissionerId: liu.user.id });
    problem = await reportProblem(t, zhang.auth, mine.id);
    // On zhang's enterprise, but assigned to liu: zhang sees it and is not its assignee.
    othersProblem = await reportProblem(t, zhang.auth, mine.id);
    await t
      .http()
      .post(`/api/v1/problems/${othersProblem.id}/transitions`)
      .set('Authorization', admin.auth)
      .send({ action: 'reassign', assigneeId: liu.user.id, version: othersProblem.version })
      .expect(200);
  });
  afterAll(() => t?.close());

  const expectRefused = (response: { status: number; body: { status?: number; errors?: unknown } }, status: number) => {
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status, errors: undefined });
  };

  it('reassigning a commissioner: 403 for a commissioner in scope, 404 out of scope, even with a bad reason', async () => {
    const send = (id: string) =>
      t
        .http()
        .put(`/api/v1/enterprises/${id}/commissioner`)
        .set('Authorization', zhang.auth)
        .send({ commissionerId: zhang.user.id, reason: 'x', version: 1 });
    expectRefused(await send(mine.id), 403);
    expectRefused(await send(theirs.id), 404);
    expectRefused(await send('not-a-uuid'), 404);
    // The supervisor may: the same bad body is now a validation error.
    const asSupervisor = await t
      .http()
      .put(`/api/v1/enterprises/${mine.id}/commissioner`)
      .set('Authorization', supervisor.auth)
      .send({ commissionerId: zhang.user.id, reason: 'x', version: 1 });
    expect(asSupervisor.status).toBe(400);
  });

  it('archiving and restoring: 403 for a commissioner, 404 out of scope', async () => {
    for (const action of ['archive', 'restore']) {
      expectRefused(
        await t.http().post(`/api/v1/enterprises/${mine.id}/${action}`).set('Authorization', zhang.auth).send({}),
        403,
      );
      expectRefused(
        await t.http().post(`/api/v1/enterprises/${theirs.id}/${action}`).set('Authorization', zhang.auth).send({}),
        404,
      );
    }
  });

  it('adding an enterprise: 403 for a commissioner, whatever the body', async () => {
    expectRefused(await t.http().post('/api/v1/enterprises').set('Authorization', zhang.auth).send({}), 403);
    expectRefused(
      await t.http().post('/api/v1/enterprises').set('Authorization', zhang.auth).send({ name: 1, bogus: true }),
      403,
    );
  });

  it('changing settings: 403 for a supervisor or a commissioner sending an empty body', async () => {
    for (const who of [supervisor, zhang]) {
      expectRefused(await t.http().patch('/api/v1/settings').set('Authorization', who.auth).send({}), 403);
    }
    const asAdmin = await t.http().patch('/api/v1/settings').set('Authorization', admin.auth).send({});
    expect(asAdmin.status).toBe(400); // the admin may: version is required
  });

  it('editing a problem: 403 for a commissioner who is not its assignee, even with a bad body', async () => {
    const edit = (who: TestUser, id: string) =>
      t.http().patch(`/api/v1/problems/${id}`).set('Authorization', who.auth).send({ priority: 'whenever' });
    expectRefused(await edit(zhang, othersProblem.id), 403);
    expect((await edit(zhang, problem.id)).status).toBe(400); // the assignee may: the body is wrong
    const stranger = await createUser(t, 'commissioner');
    expectRefused(await edit(stranger, problem.id), 404);
  });

  it('out of scope is 404 before the body is looked at, on every route that writes to a record', async () => {
    const demand = (
      await t
        .http()
        .post(`/api/v1/enterprises/${theirs.id}/demands`)
        .set('Authorization', liu.auth)
        .send({ occupation: '焊工', occupationCategory: '6', headcount: 2 })
        .expect(201)
    ).body;
    const theirProblem = await reportProblem(t, liu.auth, theirs.id);
    const bad = { bogus: true };
    const writes: [string, string][] = [
      ['patch', `/api/v1/enterprises/${theirs.id}`],
      ['post', `/api/v1/enterprises/${theirs.id}/visits`],
      ['post', `/api/v1/enterprises/${theirs.id}/demands`],
      ['post', `/api/v1/enterprises/${theirs.id}/problems`],
      ['patch', `/api/v1/demands/${demand.id}`],
      ['patch', `/api/v1/problems/${theirProblem.id}`],
      ['post', `/api/v1/problems/${theirProblem.id}/transitions`],
    ];
    for (const [method, path] of writes) {
      const call = method === 'patch' ? t.http().patch(path) : t.http().post(path);
      const response = await call.set('Authorization', zhang.auth).send(bad);
      expect({ path, status: response.status, errors: response.body.errors }).toEqual({
        path,
        status: 404,
        errors: undefined,
      });
      // In scope, the same body is a validation error.
      const own = method === 'patch' ? t.http().patch(path) : t.http().post(path);
      expect((await own.set('Authorization', liu.auth).send(bad)).status).toBe(400);
    }
  });

  it('transitions: the action decides, before the rest of the body is checked', async () => {
    const transition = (who: TestUser, body: Record<string, unknown>) =>
      t.http().post(`/api/v1/problems/${problem.id}/transitions`).set('Authorization', who.auth).send(body);
    // A commissioner may not approve; an admin may not start — no version, unknown fields: still 403.
    expectRefused(await transition(zhang, { action: 'approve' }), 403);
    expectRefused(await transition(admin, { action: 'start', bogus: 1 }), 403);
    // Allowed roles reach validation.
    expect((await transition(zhang, { action: 'start', bogus: 1 })).status).toBe(400);
    // An unknown action is a validation error for anyone who can see the problem.
    expect((await transition(zhang, { action: 'teleport' })).status).toBe(400);
    // Out of scope stays 404 whatever the action.
    const stranger = await createUser(t, 'commissioner');
    expectRefused(await transition(stranger, { action: 'approve' }), 404);
  });
});
