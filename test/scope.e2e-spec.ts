import { canSeeEnterprise, canSeeProblem } from '@keydesk/domain';
import { createEnterprise } from './factories/enterprises.factory';
import { reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Scope on every route that takes an enterprise id, and in every list: out of scope answers
 * 404 (never 403, never data), whatever the role may or may not do.
 */
describe('scope', () => {
  let t: TestApp;
  let admin: TestUser;
  let citySupervisor: TestUser;
  let southSupervisor: TestUser;
  let zhang: TestUser;
  let liu: TestUser;
  let enterprises: { id: string; districtCode: string; commissionerId: string | null; creditCode: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    citySupervisor = await createUser(t, 'supervisor');
    southSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220102', '220104'] });
    zhang = await createUser(t, 'commissioner');
    liu = await createUser(t, 'commissioner');
    const spread: [string, TestUser | null][] = [
      ['220102', zhang],
      ['220104', liu],
      ['220105', zhang],
      ['220106', liu],
      ['220173', null],
      ['220102', null],
    ];
    enterprises = [];
    for (const [districtCode, commissioner] of spread) {
      const created = await createEnterprise(t, admin.auth, {
        districtCode,
        commissionerId: commissioner?.user.id,
      });
      enterprises.push({
        id: created.id,
        districtCode,
        commissionerId: created.commissionerId,
        creditCode: String(created.creditCode),
      });
    }
  });
  afterAll(() => t.close());

  const actorOf = (caller: TestUser) => ({
    id: caller.user.id,
    username: caller.user.username,
    role: caller.user.role,
    districtCodes: caller.user.districtCodes,
  });

  /** Every route that takes an enterprise id, with a body that would be valid. */
  const routes = (id: string, version = 1) => [
    { method: 'get', path: `/api/v1/enterprises/${id}` },
    { method: 'patch', path: `/api/v1/enterprises/${id}`, body: { address: '长春市新地址路1号', version } },
    { method: 'patch', path: `/api/v1/enterprises/${id}`, body: { name: '越权修改名称有限公司', version } },
    { method: 'get', path: `/api/v1/enterprises/${id}/history` },
    { method: 'get', path: `/api/v1/enterprises/${id}/assignments` },
    { method: 'post', path: `/api/v1/enterprises/${id}/archive` },
    { method: 'post', path: `/api/v1/enterprises/${id}/restore` },
    { method: 'get', path: `/api/v1/enterprises/${id}/visits` },
    {
      method: 'post',
      path: `/api/v1/enterprises/${id}/visits`,
      body: { visitedAt: new Date().toISOString(), method: 'phone', summary: '越权走访' },
    },
    { method: 'get', path: `/api/v1/enterprises/${id}/demands` },
    {
      method: 'post',
      path: `/api/v1/enterprises/${id}/demands`,
      body: { occupation: '焊工', occupationCategory: '6', headcount: 1 },
    },
    { method: 'get', path: `/api/v1/enterprises/${id}/problems` },
    { method: 'post', path: `/api/v1/enterprises/${id}/problems`, body: { title: '越权问题', category: 'other' } },
    {
      method: 'put',
      path: `/api/v1/enterprises/${id}/commissioner`,
      body: { commissionerId: '00000000-0000-4000-8000-000000000000', reason: 'scope test', version },
    },
  ];

  const callers = () => ({ citySupervisor, southSupervisor, zhang, liu });

  it.each(['citySupervisor', 'southSupervisor', 'zhang', 'liu'] as const)(
    'answers 404 to %s on every route for every enterprise out of scope, and changes nothing',
    async (name) => {
      const caller = callers()[name];
      const outside = enterprises.filter((enterprise) => !canSeeEnterprise(actorOf(caller), enterprise));
      if (name === 'citySupervisor') expect(outside).toHaveLength(0);
      else expect(outside.length).toBeGreaterThan(0);
      const before = await t.db.query('SELECT id, version FROM enterprises ORDER BY id');
      for (const enterprise of outside) {
        for (const route of routes(enterprise.id)) {
          const call = t.http()[route.method as 'get'](route.path).set('Authorization', caller.auth);
          const response = route.body ? await call.send(route.body) : await call;
          expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
            route: `${route.method} ${route.path}`,
            status: 404,
          });
          expect(JSON.stringify(response.body)).not.toContain(enterprise.creditCode);
        }
      }
      expect(await t.db.query('SELECT id, version FROM enterprises ORDER BY id')).toEqual(before);
      const written = await t.db.query(
        `SELECT (SELECT count(*) FROM visits)::int + (SELECT count(*) FROM demands)::int + (SELECT count(*) FROM problems)::int AS n`,
      );
      expect(written[0].n).toBe(0);
    },
  );

  it('answers the same 404 for an enterprise out of scope and one that does not exist', async () => {
    const outOfScope = enterprises.find((enterprise) => enterprise.commissionerId !== zhang.user.id)!;
    const hidden = await t.http().get(`/api/v1/enterprises/${outOfScope.id}`).set('Authorization', zhang.auth);
    const absent = await t
      .http()
      .get('/api/v1/enterprises/00000000-0000-4000-8000-000000000000')
      .set('Authorization', zhang.auth);
    expect(hidden.status).toBe(404);
    expect(absent.status).toBe(404);
    expect({ ...hidden.body, instance: undefined }).toEqual({ ...absent.body, instance: undefined });
  });

  it('lets a caller see each enterprise in scope, and lists exactly those', async () => {
    for (const caller of [admin, citySupervisor, southSupervisor, zhang, liu]) {
      const expected = enterprises
        .filter((enterprise) => canSeeEnterprise(actorOf(caller), enterprise))
        .map((enterprise) => enterprise.id)
        .sort();
      const list = await t.http().get('/api/v1/enterprises?pageSize=100').set('Authorization', caller.auth).expect(200);
      expect(list.body.items.map((item: { id: string }) => item.id).sort()).toEqual(expected);
      expect(list.body.total).toBe(expected.length);
      for (const id of expected) {
        await t.http().get(`/api/v1/enterprises/${id}`).set('Authorization', caller.auth).expect(200);
      }
    }
  });

  it('lists exactly the problems a single read shows (problemScopeCondition agrees with canSeeProblem)', async () => {
    // One problem per enterprise, assigned to its commissioner (or nobody); one of zhang's handed
    // to liu, so liu sees it on an enterprise that is not his, and zhang still sees it on his own.
    const problems: {
      id: string;
      assigneeId: string | null;
      status: 'open' | 'closed';
      enterprise: (typeof enterprises)[number];
    }[] = [];
    for (const enterprise of enterprises) {
      const created = await reportProblem(t, admin.auth, enterprise.id, { title: `范围问题 ${problems.length}` });
      problems.push({ id: created.id, assigneeId: enterprise.commissionerId, status: 'open', enterprise });
    }
    // A closed problem of zhang's, on an enterprise that has since moved to liu: liu's now, not zhang's.
    const moved = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
    const closed = await reportProblem(t, admin.auth, moved.id, { title: '范围问题 已办结' });
    const transition = (body: Record<string, unknown>) =>
      t.http().post(`/api/v1/problems/${closed.id}/transitions`).set('Authorization', citySupervisor.auth).send(body);
    await transition({ action: 'resolve', resolution: '已办结', version: 1 }).expect(200);
    await transition({ action: 'approve', version: 2 }).expect(200);
    await t
      .http()
      .put(`/api/v1/enterprises/${moved.id}/commissioner`)
      .set('Authorization', admin.auth)
      .send({ commissionerId: liu.user.id, reason: '调整分工', version: 1 })
      .expect(200);
    problems.push({
      id: closed.id,
      assigneeId: zhang.user.id,
      status: 'closed',
      enterprise: { id: moved.id, districtCode: '220102', commissionerId: liu.user.id, creditCode: '' },
    });
    const handed = problems.find((p) => p.enterprise.commissionerId === zhang.user.id)!;
    await t
      .http()
      .post(`/api/v1/problems/${handed.id}/transitions`)
      .set('Authorization', admin.auth)
      .send({ action: 'reassign', assigneeId: liu.user.id, version: 1 })
      .expect(200);
    handed.assigneeId = liu.user.id;

    for (const caller of [admin, citySupervisor, southSupervisor, zhang, liu]) {
      const visible = problems.filter((p) => canSeeProblem(actorOf(caller), p, p.enterprise)).map((p) => p.id);
      const list = await t.http().get('/api/v1/problems?pageSize=100').set('Authorization', caller.auth).expect(200);
      expect(list.body.items.map((item: { id: string }) => item.id).sort()).toEqual(visible.sort());
      expect(list.body.total).toBe(visible.length);
      for (const p of problems) {
        const read = await t.http().get(`/api/v1/problems/${p.id}`).set('Authorization', caller.auth);
        expect({ id: p.id, status: read.status }).toEqual({ id: p.id, status: visible.includes(p.id) ? 200 : 404 });
      }
    }
    expect(problems.filter((p) => canSeeProblem(actorOf(liu), p, p.enterprise))).toContain(handed);
    expect(problems.find((p) => p.id === closed.id)).toMatchObject({ assigneeId: zhang.user.id });
    expect(problems.filter((p) => canSeeProblem(actorOf(zhang), p, p.enterprise)).map((p) => p.id)).not.toContain(
      closed.id,
    );
  });

  it('keeps filters inside scope: a commissioner asking for a colleague gets nothing', async () => {
    const list = await t
      .http()
      .get(`/api/v1/enterprises?commissionerId=${liu.user.id}`)
      .set('Authorization', zhang.auth)
      .expect(200);
    expect(list.body).toMatchObject({ items: [], total: 0 });
    const district = await t
      .http()
      .get('/api/v1/enterprises?districtCode=220105')
      .set('Authorization', southSupervisor.auth)
      .expect(200);
    expect(district.body.total).toBe(0);
  });

  it('decides scope before role: a commissioner archiving their own enterprise gets 403', async () => {
    const own = enterprises.find((enterprise) => enterprise.commissionerId === zhang.user.id)!;
    await t.http().post(`/api/v1/enterprises/${own.id}/archive`).set('Authorization', zhang.auth).expect(403);
  });

  it('lets everyone read the reference data', async () => {
    for (const caller of [admin, southSupervisor, zhang]) {
      const districts = await t.http().get('/api/v1/reference/districts').set('Authorization', caller.auth).expect(200);
      expect(districts.body).toHaveLength(15);
      expect(districts.body).toEqual(expect.arrayContaining([{ code: '220102', name: '南关区' }]));
      expect(districts.body).toEqual(expect.arrayContaining([{ code: '220174', name: '汽车经济技术开发区' }]));
    }
    const industries = await t.http().get('/api/v1/reference/industries').set('Authorization', zhang.auth).expect(200);
    expect(industries.body.map((item: { code: string }) => item.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(industries.body[2]).toEqual({ code: 'C', name: '制造业' });
    const occupations = await t
      .http()
      .get('/api/v1/reference/occupation-categories')
      .set('Authorization', zhang.auth)
      .expect(200);
    expect(occupations.body.map((item: { code: string }) => item.code)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
    ]);
    expect(occupations.body).toEqual(expect.arrayContaining([{ code: '6', name: '生产制造及有关人员' }]));
    await t.http().get('/api/v1/reference/districts').expect(401);
  });
});
