import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

/** Names and messages that the web app and every other client build on: one meaning each, everywhere. */
describe('API conventions', () => {
  let t: TestApp;
  let admin: TestUser;
  let zhang: TestUser;
  let enterprise: CreatedEnterprise;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner', { displayName: '张伟' });
    enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
  });
  afterAll(() => t?.close());

  it('a missing required field is "is required", one message per field', async () => {
    const response = await t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/visits`)
      .set('Authorization', zhang.auth)
      .send({ method: 'phone' })
      .expect(400);
    expect(response.body.errors).toEqual([
      { field: 'visitedAt', message: 'is required' },
      { field: 'summary', message: 'is required' },
    ]);
    // A field that is there but wrong still says what is wrong with it.
    const short = await t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/visits`)
      .set('Authorization', zhang.auth)
      .send({ method: 'phone', visitedAt: new Date(Date.now() - DAY).toISOString(), summary: 'x' })
      .expect(400);
    expect(short.body.errors).toEqual([{ field: 'summary', message: 'must be longer than or equal to 2 characters' }]);
  });

  it('rules across fields come in the same answer as the other errors, inline items included', async () => {
    const response = await t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/visits`)
      .set('Authorization', zhang.auth)
      .send({
        visitedAt: new Date(Date.now() - 2 * DAY).toISOString(),
        nextFollowUpAt: new Date(Date.now() - 3 * DAY).toISOString(),
        method: 'phone',
        summary: '电话回访',
        demands: [
          { occupation: '焊工', occupationCategory: '6', headcount: 3, salaryMin: 9000, salaryMax: 6000 },
          { occupation: '电工', occupationCategory: '6', headcount: 2, filledCount: 5 },
          { occupation: '', occupationCategory: '6', headcount: 1 },
        ],
        problems: [{ title: '欠薪', category: 'unknown' }],
      })
      .expect(400);
    expect([...response.body.errors].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'demands.0.salaryMin', message: 'must not exceed salaryMax' },
      { field: 'demands.1.filledCount', message: 'must be between 0 and headcount (2)' },
      { field: 'demands.2.occupation', message: 'must be longer than or equal to 1 characters' },
      { field: 'nextFollowUpAt', message: 'must be after visitedAt' },
      { field: 'problems.0.category', message: expect.stringContaining('must be one of') },
    ]);
  });

  it('the dashboard counts open problems as every other place does, and names people by displayName', async () => {
    const first = await reportProblem(t, zhang.auth, enterprise.id, { title: '招工难' });
    await reportProblem(t, zhang.auth, enterprise.id, { title: '稳岗补贴' });
    await t
      .http()
      .post(`/api/v1/problems/${first.id}/transitions`)
      .set('Authorization', zhang.auth)
      .send({ action: 'start', version: first.version })
      .expect(200);
    const dashboard = (await t.http().get('/api/v1/dashboard').set('Authorization', admin.auth).expect(200)).body;
    const ledger = (
      await t.http().get(`/api/v1/enterprises/${enterprise.id}`).set('Authorization', admin.auth).expect(200)
    ).body;
    expect(ledger.openProblems).toBe(2);
    expect(dashboard.problems).toMatchObject({ open: 2, notStarted: 1, inProgress: 1 });
    const workload = (
      await t.http().get('/api/v1/dashboard/commissioners').set('Authorization', admin.auth).expect(200)
    ).body;
    expect(workload.items).toEqual([
      expect.objectContaining({ commissionerId: zhang.user.id, displayName: '张伟', openProblems: 2 }),
    ]);
    expect(workload.items[0]).not.toHaveProperty('name');
  });

  it('status=all lists every status on /problems, as on /enterprises and /demands', async () => {
    const started = await reportProblem(t, zhang.auth, enterprise.id, { title: '已开始' });
    await reportProblem(t, zhang.auth, enterprise.id, { title: '未开始' });
    await t
      .http()
      .post(`/api/v1/problems/${started.id}/transitions`)
      .set('Authorization', zhang.auth)
      .send({ action: 'start', version: started.version })
      .expect(200);
    const all = await t.http().get('/api/v1/problems?status=all').set('Authorization', admin.auth).expect(200);
    const unfiltered = await t.http().get('/api/v1/problems').set('Authorization', admin.auth).expect(200);
    const inProgress = await t.http().get('/api/v1/problems?status=in_progress').set('Authorization', admin.auth);
    expect(all.body.total).toBe(unfiltered.body.total);
    expect(all.body.total).toBeGreaterThan(inProgress.body.total);
    for (const path of ['enterprises', 'demands', 'problems']) {
      await t.http().get(`/api/v1/${path}?status=all`).set('Authorization', admin.auth).expect(200);
    }
  });

  it('null for a field that cannot be empty is a 400 naming it, on creation and on change', async () => {
    const problem = await reportProblem(t, zhang.auth, enterprise.id, { title: '空值检查' });
    const demand = (
      await t
        .http()
        .post(`/api/v1/enterprises/${enterprise.id}/demands`)
        .set('Authorization', zhang.auth)
        .send({ occupation: '焊工', occupationCategory: '6', headcount: 2 })
        .expect(201)
    ).body;
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['patch', `/api/v1/problems/${problem.id}`, { title: null, version: problem.version }, 'title'],
      ['patch', `/api/v1/enterprises/${enterprise.id}`, { name: null, version: enterprise.version }, 'name'],
      ['patch', `/api/v1/demands/${demand.id}`, { occupation: null, version: demand.version }, 'occupation'],
      [
        'post',
        `/api/v1/enterprises/${enterprise.id}/problems`,
        { title: '空值', category: 'other', priority: null },
        'priority',
      ],
    ];
    for (const [method, path, body, field] of cases) {
      const call = method === 'patch' ? t.http().patch(path) : t.http().post(path);
      const response = await call.set('Authorization', admin.auth).send(body);
      expect({ path, status: response.status, errors: response.body.errors }).toEqual({
        path,
        status: 400,
        errors: [{ field, message: 'must not be null' }],
      });
    }
    // Fields that may be emptied still take null.
    await t
      .http()
      .patch(`/api/v1/demands/${demand.id}`)
      .set('Authorization', admin.auth)
      .send({ salaryMin: null, requirements: null, version: demand.version })
      .expect(200);
  });

  it('error types cannot be read as the "problem" resource', async () => {
    const missing = await t
      .http()
      .get('/api/v1/problems/00000000-0000-4000-8000-000000000000')
      .set('Authorization', admin.auth)
      .expect(404);
    expect(missing.body).toMatchObject({ type: 'urn:keydesk:error:not-found', detail: 'Problem was not found' });
    const invalid = await t.http().get('/api/v1/problems?page=0').set('Authorization', admin.auth).expect(400);
    expect(invalid.body.type).toBe('urn:keydesk:error:invalid-input');
    const forbidden = await t.http().patch('/api/v1/settings').set('Authorization', zhang.auth).send({}).expect(403);
    expect(forbidden.body.type).toBe('urn:keydesk:error:forbidden');
  });
});
