import { createEnterprise, enterpriseInput } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { expectCursorPagesMatchOffsetPages, expectCursorRefusals } from './support/paging';
import { createTestApp, TestApp } from './support/test-app';

describe('the enterprise ledger', () => {
  let t: TestApp;
  let admin: TestUser;
  let citySupervisor: TestUser;
  let southSupervisor: TestUser;
  let zhang: TestUser;
  let liu: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    citySupervisor = await createUser(t, 'supervisor');
    southSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220102', '220104'] });
    zhang = await createUser(t, 'commissioner', { displayName: '张伟' });
    liu = await createUser(t, 'commissioner', { displayName: '刘芳' });
  });
  afterAll(() => t.close());

  const post = (auth: string, body: Record<string, unknown>) =>
    t.http().post('/api/v1/enterprises').set('Authorization', auth).send(body);
  const get = (auth: string, id: string) => t.http().get(`/api/v1/enterprises/${id}`).set('Authorization', auth);
  const patch = (auth: string, id: string, body: Record<string, unknown>) =>
    t.http().patch(`/api/v1/enterprises/${id}`).set('Authorization', auth).send(body);
  const count = async () => Number((await t.db.query('SELECT count(*) AS n FROM enterprises'))[0].n);

  describe('creating', () => {
    it('adds an enterprise with its derived figures empty and its first assignment recorded', async () => {
      const input = enterpriseInput({ commissionerId: zhang.user.id, tier: 'provincial' });
      const response = await post(citySupervisor.auth, input).expect(201);
      expect(response.body).toMatchObject({
        name: input.name,
        creditCode: input.creditCode,
        districtCode: '220102',
        districtName: '南关区',
        industryName: '制造业',
        tier: 'provincial',
        status: 'active',
        version: 1,
        commissionerId: zhang.user.id,
        commissioner: { id: zhang.user.id, displayName: '张伟' },
        visitCadenceDays: 14,
        customVisitCadence: false,
        shortage: 0,
        vacancyStructure: { byOccupationCategory: [], byOccupation: [] },
        openProblems: 0,
        overdueProblems: 0,
        lastVisitAt: null,
        nextVisitDueAt: null,
      });

      const assignments = await t
        .http()
        .get(`/api/v1/enterprises/${response.body.id}/assignments`)
        .set('Authorization', citySupervisor.auth)
        .expect(200);
      expect(assignments.body).toEqual([
        expect.objectContaining({
          commissioner: { id: zhang.user.id, displayName: '张伟' },
          previousCommissioner: null,
          assignedBy: expect.objectContaining({ id: citySupervisor.user.id }),
        }),
      ]);
    });

    it('lets a supervisor add enterprises in their districts only, and commissioners none', async () => {
      await post(southSupervisor.auth, enterpriseInput({ districtCode: '220104' })).expect(201);
      const before = await count();
      await post(southSupervisor.auth, enterpriseInput({ districtCode: '220105' })).expect(403);
      await post(zhang.auth, enterpriseInput()).expect(403);
      expect(await count()).toBe(before);
    });

    it('refuses a credit code with a wrong check character', async () => {
      const response = await post(admin.auth, enterpriseInput({ creditCode: '91350100M000100Y44' })).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, title: 'Invalid input' });
      expect(response.body.errors).toEqual([
        { field: 'creditCode', message: expect.stringMatching(/unified social credit code/) },
      ]);
      await post(admin.auth, enterpriseInput({ creditCode: '91350100M000100Y43' })).expect(201);
    });

    it('refuses a credit code already in the ledger with 409', async () => {
      const first = await createEnterprise(t, admin.auth);
      const before = await count();
      const response = await post(admin.auth, enterpriseInput({ creditCode: first.creditCode })).expect(409);
      expect(response.body.detail).toContain(String(first.creditCode));
      expect(await count()).toBe(before);
    });

    it.each([
      ['an unknown industry', { industryCode: 'Z' }, 'industryCode'],
      ['an unknown district', { districtCode: '220199' }, 'districtCode'],
      ['a bad phone', { contactPhone: '1234567' }, 'contactPhone'],
      ['a negative headcount', { employeeCount: -1 }, 'employeeCount'],
      ['a headcount as text', { employeeCount: '100' }, 'employeeCount'],
      ['a name too long', { name: '长'.repeat(201) }, 'name'],
      ['an address too long', { address: '路'.repeat(301) }, 'address'],
      ['an unknown tier', { tier: 'national' }, 'tier'],
      ['an unknown field', { status: 'archived' }, 'status'],
      ['a missing name', { name: undefined }, 'name'],
      ['a cadence of zero', { visitCadenceDays: 0 }, 'visitCadenceDays'],
      ['a supervisor as commissioner', { commissionerId: 'SUPERVISOR' }, 'commissionerId'],
    ])('refuses %s with 400 naming the field, changing nothing', async (_, overrides, field) => {
      const body = enterpriseInput(overrides);
      if (body.commissionerId === 'SUPERVISOR') body.commissionerId = citySupervisor.user.id;
      const before = await count();
      const response = await post(admin.auth, body).expect(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await count()).toBe(before);
    });
  });

  describe('editing with a version', () => {
    it('changes fields, bumps the version and keeps a revision of each change', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const updated = await patch(citySupervisor.auth, enterprise.id, {
        employeeCount: 900,
        tier: 'provincial',
        visitCadenceDays: 7,
        version: 1,
      }).expect(200);
      expect(updated.body).toMatchObject({ employeeCount: 900, tier: 'provincial', visitCadenceDays: 7, version: 2 });
      expect(updated.body.customVisitCadence).toBe(true);

      await patch(zhang.auth, enterprise.id, { contactName: '刘洋', contactPhone: '0431-85551234', version: 2 }).expect(
        200,
      );

      const history = await t
        .http()
        .get(`/api/v1/enterprises/${enterprise.id}/history`)
        .set('Authorization', citySupervisor.auth)
        .expect(200);
      expect(history.body.total).toBe(3);
      const [latest, middle, created] = history.body.items;
      expect(latest).toMatchObject({
        action: 'updated',
        version: 3,
        actor: { id: zhang.user.id, displayName: '张伟' },
        changes: {
          contactName: { from: '王伟', to: '刘洋' },
          contactPhone: { from: '13912345678', to: '0431-85551234' },
        },
      });
      expect(middle).toMatchObject({
        version: 2,
        actor: { id: citySupervisor.user.id },
        changes: {
          employeeCount: { from: enterprise.employeeCount, to: 900 },
          tier: { from: 'municipal', to: 'provincial' },
          visitCadenceDays: { from: null, to: 7 },
        },
      });
      expect(created).toMatchObject({ action: 'created', version: 1 });
      expect(created.changes.name).toEqual({ from: null, to: enterprise.name });
      expect(new Date(latest.changedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.changedAt).getTime());
    });

    it('answers 409 for a stale version and 400 for a missing one, changing nothing', async () => {
      const enterprise = await createEnterprise(t, admin.auth);
      await patch(admin.auth, enterprise.id, { employeeCount: 1, version: 1 }).expect(200);
      const stale = await patch(admin.auth, enterprise.id, { employeeCount: 2, version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ status: 409, title: 'Version conflict' });
      const missing = await patch(admin.auth, enterprise.id, { employeeCount: 3 }).expect(400);
      expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'version' })]));
      const current = await get(admin.auth, enterprise.id).expect(200);
      expect(current.body).toMatchObject({ employeeCount: 1, version: 2 });
    });

    it('lets exactly one of two concurrent edits of the same version win', async () => {
      const enterprise = await createEnterprise(t, admin.auth);
      const results = await Promise.all([
        patch(admin.auth, enterprise.id, { employeeCount: 11, version: 1 }),
        patch(citySupervisor.auth, enterprise.id, { employeeCount: 22, version: 1 }),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
      const current = await get(admin.auth, enterprise.id).expect(200);
      expect(current.body.version).toBe(2);
    });

    it('answers 403 when a commissioner changes anything but address, headcount and contact', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      for (const body of [
        { name: '新名称有限公司' },
        { tier: 'district' },
        { visitCadenceDays: 10 },
        { address: 'x路', districtCode: '220103' },
      ]) {
        const response = await patch(zhang.auth, enterprise.id, { ...body, version: 1 }).expect(403);
        expect(response.body.status).toBe(403);
      }
      const unchanged = await get(admin.auth, enterprise.id).expect(200);
      expect(unchanged.body.version).toBe(1);
      await patch(zhang.auth, enterprise.id, { address: '长春市人民大街1号', employeeCount: 321, version: 1 }).expect(
        200,
      );
    });

    it("keeps a supervisor's enterprises inside their districts", async () => {
      const enterprise = await createEnterprise(t, southSupervisor.auth, { districtCode: '220102' });
      await patch(southSupervisor.auth, enterprise.id, { districtCode: '220105', version: 1 }).expect(403);
      await patch(southSupervisor.auth, enterprise.id, { districtCode: '220104', version: 1 }).expect(200);
    });

    it('refuses a credit code that another enterprise has, with 409', async () => {
      const a = await createEnterprise(t, admin.auth);
      const b = await createEnterprise(t, admin.auth);
      await patch(admin.auth, b.id, { creditCode: a.creditCode, version: 1 }).expect(409);
      expect((await get(admin.auth, b.id)).body.creditCode).toBe(b.creditCode);
    });
  });

  describe('archiving', () => {
    it('takes an enterprise out of the default list but keeps it readable, until restored', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { name: '长春待归档测试有限公司' });
      const archived = await t
        .http()
        .post(`/api/v1/enterprises/${enterprise.id}/archive`)
        .set('Authorization', citySupervisor.auth)
        .expect(200);
      expect(archived.body).toMatchObject({ status: 'archived', version: 2 });

      const list = (query: string) =>
        t.http().get(`/api/v1/enterprises?q=待归档&${query}`).set('Authorization', admin.auth).expect(200);
      expect((await list('')).body.total).toBe(0);
      expect((await list('status=archived')).body.items.map((e: { id: string }) => e.id)).toEqual([enterprise.id]);
      expect((await list('status=all')).body.total).toBe(1);
      await get(admin.auth, enterprise.id).expect(200);

      await t.http().post(`/api/v1/enterprises/${enterprise.id}/archive`).set('Authorization', admin.auth).expect(409);
      await t.http().post(`/api/v1/enterprises/${enterprise.id}/restore`).set('Authorization', admin.auth).expect(200);
      expect((await list('')).body.total).toBe(1);
    });

    it('is not for commissioners', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      await t.http().post(`/api/v1/enterprises/${enterprise.id}/archive`).set('Authorization', zhang.auth).expect(403);
    });
  });

  describe('assigning commissioners', () => {
    it('hands an enterprise over: the new commissioner sees it, the old one no longer does', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      await get(zhang.auth, enterprise.id).expect(200);
      await get(liu.auth, enterprise.id).expect(404);

      const reassigned = await t
        .http()
        .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
        .set('Authorization', citySupervisor.auth)
        .send({ commissionerId: liu.user.id, reason: '张伟调岗', version: 1 })
        .expect(200);
      expect(reassigned.body).toMatchObject({ commissioner: { id: liu.user.id, displayName: '刘芳' }, version: 2 });

      await get(zhang.auth, enterprise.id).expect(404);
      await get(liu.auth, enterprise.id).expect(200);
      const zhangList = await t.http().get('/api/v1/enterprises?pageSize=100').set('Authorization', zhang.auth);
      expect(zhangList.body.items.map((e: { id: string }) => e.id)).not.toContain(enterprise.id);

      const assignments = await t
        .http()
        .get(`/api/v1/enterprises/${enterprise.id}/assignments`)
        .set('Authorization', liu.auth)
        .expect(200);
      expect(assignments.body).toHaveLength(2);
      expect(assignments.body[0]).toEqual({
        id: expect.any(String),
        commissioner: { id: liu.user.id, displayName: '刘芳' },
        previousCommissioner: { id: zhang.user.id, displayName: '张伟' },
        reason: '张伟调岗',
        assignedBy: { id: citySupervisor.user.id, displayName: citySupervisor.user.displayName },
        assignedAt: expect.any(String),
      });
      const history = await t
        .http()
        .get(`/api/v1/enterprises/${enterprise.id}/history`)
        .set('Authorization', liu.auth)
        .expect(200);
      expect(history.body.items[0]).toMatchObject({
        action: 'reassigned',
        actor: { id: citySupervisor.user.id, displayName: citySupervisor.user.displayName },
        changes: { commissionerId: { from: zhang.user.id, to: liu.user.id } },
      });
    });

    it('accepts only an active commissioner as the target', async () => {
      const enterprise = await createEnterprise(t, admin.auth);
      const assign = (commissionerId: string) =>
        t
          .http()
          .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
          .set('Authorization', admin.auth)
          .send({ commissionerId, reason: 'test', version: 1 });
      expect((await assign(citySupervisor.user.id).expect(400)).body.errors).toEqual([
        expect.objectContaining({ field: 'commissionerId' }),
      ]);
      await assign('00000000-0000-4000-8000-000000000000').expect(400);
      const leaving = await createUser(t, 'commissioner');
      await t.http().patch(`/api/v1/users/${leaving.user.id}`).set('Authorization', admin.auth).send({ active: false });
      await assign(leaving.user.id).expect(400);
      await t
        .http()
        .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
        .set('Authorization', admin.auth)
        .send({ commissionerId: zhang.user.id, version: 1 })
        .expect(400);
      expect((await get(admin.auth, enterprise.id)).body.commissionerId).toBeNull();
    });

    it('takes the version read: missing is 400, stale is 409, and of two supervisors at once only one wins', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const assign = (body: Record<string, unknown>) =>
        t
          .http()
          .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
          .set('Authorization', citySupervisor.auth)
          .send({ commissionerId: liu.user.id, reason: '片区调整', ...body });
      expect((await assign({}).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'version' })]);
      await assign({ version: 2 }).expect(409);
      expect((await get(admin.auth, enterprise.id)).body).toMatchObject({ commissionerId: zhang.user.id, version: 1 });

      // Thirty reassignments read at version 1, sent at once: one lands, the rest hear 409.
      const others = [liu, ...(await Promise.all([1, 2].map(() => createUser(t, 'commissioner'))))];
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => assign({ commissionerId: others[i % 3].user.id, version: 1 })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array(29).fill(409)]);
      const winner = results.find((r) => r.status === 200)!.body;
      expect(winner.version).toBe(2);
      const assignments = await t
        .http()
        .get(`/api/v1/enterprises/${enterprise.id}/assignments`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(assignments.body).toHaveLength(2);
      expect(assignments.body[0]).toMatchObject({
        commissioner: { id: winner.commissionerId },
        previousCommissioner: { id: zhang.user.id },
      });
    });

    it('is not for commissioners', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      await t
        .http()
        .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
        .set('Authorization', zhang.auth)
        .send({ commissionerId: liu.user.id, reason: 'I want to hand it over', version: 1 })
        .expect(403);
    });
  });

  describe('the list', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      const make = async (name: string, overrides: Record<string, unknown>) =>
        (await createEnterprise(t, admin.auth, { name, ...overrides })).id;
      ids = {
        a: await make('列表甲汽车零部件有限公司', { employeeCount: 50, districtCode: '220103', industryCode: 'C' }),
        b: await make('列表乙物流有限公司', {
          employeeCount: 500,
          districtCode: '220104',
          industryCode: 'G',
          tier: 'district',
        }),
        c: await make('列表丙软件有限公司', {
          employeeCount: 5000,
          districtCode: '220104',
          industryCode: 'I',
          commissionerId: liu.user.id,
        }),
      };
    });

    const list = (query: string, auth = admin.auth) =>
      t.http().get(`/api/v1/enterprises?q=列表&${query}`).set('Authorization', auth);
    const names = (response: { body: { items: { id: string }[] } }) =>
      response.body.items.map((item) => Object.keys(ids).find((key) => ids[key] === item.id));

    it('filters by district, industry, tier and commissioner', async () => {
      expect(names(await list('districtCode=220104&sort=name'))).toEqual(['c', 'b']);
      expect(names(await list('industryCode=G'))).toEqual(['b']);
      expect(names(await list('tier=district'))).toEqual(['b']);
      expect(names(await list(`commissionerId=${liu.user.id}`))).toEqual(['c']);
    });

    it('searches names and credit codes by substring', async () => {
      const byName = await t.http().get('/api/v1/enterprises?q=乙物流').set('Authorization', admin.auth).expect(200);
      expect(byName.body.items.map((e: { id: string }) => e.id)).toEqual([ids.b]);
      const code = (await get(admin.auth, ids.c)).body.creditCode as string;
      const byCode = await t
        .http()
        .get(`/api/v1/enterprises?q=${code.slice(4, 14)}`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(byCode.body.items.map((e: { id: string }) => e.id)).toEqual([ids.c]);
    });

    it('sorts by an allowlisted field, ascending or descending, and refuses anything else', async () => {
      expect(names(await list('sort=employeeCount'))).toEqual(['a', 'b', 'c']);
      expect(names(await list('sort=-employeeCount'))).toEqual(['c', 'b', 'a']);
      await list('sort=creditCode').expect(400);
      await list('sort=name;drop').expect(400);
    });

    it('filters by shortage and by overdue visit, each value returning exactly its enterprises', async () => {
      const DAY = 24 * 3600 * 1000;
      const make = async (name: string) =>
        (await createEnterprise(t, admin.auth, { name, tier: 'municipal', commissionerId: zhang.user.id })).id;
      const under = (id: string, collection: string, body: Record<string, unknown>) =>
        t
          .http()
          .post(`/api/v1/enterprises/${id}/${collection}`)
          .set('Authorization', zhang.auth)
          .send(body)
          .expect(201);
      const demand = (id: string, headcount: number, filledCount: number) =>
        under(id, 'demands', { occupation: '焊工', occupationCategory: '6', headcount, filledCount });
      const visit = (id: string, daysAgo: number) =>
        under(id, 'visits', {
          visitedAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
          method: 'phone',
          summary: '回访',
        });
      // Municipal: a visit every 30 days. Two days ago is on time; 40 days ago is 10 days overdue.
      const e = {
        plain: await make('筛选甲未走访无缺工公司'),
        short: await make('筛选乙缺工按时走访公司'),
        late: await make('筛选丙已满员走访逾期公司'),
        both: await make('筛选丁缺工走访逾期公司'),
      };
      await demand(e.short, 5, 2);
      await visit(e.short, 2);
      await demand(e.late, 3, 3); // filled: no shortage left
      await visit(e.late, 40);
      await demand(e.both, 1, 0);
      await visit(e.both, 40);

      const filtered = async (query: string) => {
        const response = await t
          .http()
          .get(`/api/v1/enterprises?q=筛选&pageSize=100&${query}`)
          .set('Authorization', admin.auth)
          .expect(200);
        expect(response.body.total).toBe(response.body.items.length);
        return response.body.items
          .map((item: { id: string }) => Object.keys(e).find((key) => e[key as keyof typeof e] === item.id))
          .sort();
      };
      expect(await filtered('')).toEqual(['both', 'late', 'plain', 'short']);
      expect(await filtered('hasShortage=true')).toEqual(['both', 'short']);
      expect(await filtered('hasShortage=false')).toEqual(['late', 'plain']);
      expect(await filtered('visitOverdue=true')).toEqual(['both', 'late']);
      // Never visited has no due date, so it is not overdue.
      expect(await filtered('visitOverdue=false')).toEqual(['plain', 'short']);
      expect(await filtered('hasShortage=true&visitOverdue=true')).toEqual(['both']);
      expect(await filtered('hasShortage=false&visitOverdue=false')).toEqual(['plain']);
      const shortages = await t
        .http()
        .get('/api/v1/enterprises?q=筛选&hasShortage=true&sort=-shortage')
        .set('Authorization', admin.auth)
        .expect(200);
      expect(shortages.body.items.map((item: { id: string; shortage: number }) => [item.id, item.shortage])).toEqual([
        [e.short, 3],
        [e.both, 1],
      ]);
      await t.http().get('/api/v1/enterprises?hasShortage=maybe').set('Authorization', admin.auth).expect(400);
      await t.http().get('/api/v1/enterprises?visitOverdue=1x').set('Authorization', admin.auth).expect(400);
    });

    describe('the figures of the workbench', () => {
      const DAY = 24 * 3600 * 1000;
      /** The ids a list answers, checking that its total counts exactly those. */
      const listed = async (query: string, auth = admin.auth) => {
        const response = await t
          .http()
          .get(`/api/v1/enterprises?pageSize=100&${query}`)
          .set('Authorization', auth)
          .expect(200);
        expect(response.body.total).toBe(response.body.items.length);
        return response.body.items.map((item: { id: string }) => item.id).sort();
      };
      /** `listed` with the ids named by the keys of `e`, for readable expectations. */
      const named = async (e: Record<string, string>, query: string) =>
        (await listed(query)).map((id: string) => Object.keys(e).find((key) => e[key] === id) ?? id).sort();
      const archive = (id: string) =>
        t.http().post(`/api/v1/enterprises/${id}/archive`).set('Authorization', admin.auth).expect(200);
      const under = (id: string, collection: string, body: Record<string, unknown>) =>
        t
          .http()
          .post(`/api/v1/enterprises/${id}/${collection}`)
          .set('Authorization', zhang.auth)
          .send(body)
          .expect(201);

      it('hasCommissioner: those waiting for a commissioner, or those served, in the whole ledger and in districts', async () => {
        const waiting = (await createEnterprise(t, admin.auth, { districtCode: '220104' })).id;
        const served = (
          await createEnterprise(t, admin.auth, { districtCode: '220104', commissionerId: zhang.user.id })
        ).id;
        const waitingElsewhere = (await createEnterprise(t, admin.auth, { districtCode: '220105' })).id;
        const archived = (await createEnterprise(t, admin.auth, { districtCode: '220104' })).id;
        await archive(archived);
        /** The active enterprises the database holds with or without a commissioner, in some districts or all. */
        const inLedger = async (withCommissioner: boolean, districts: string[] | null) =>
          (
            await t.db.query(
              `SELECT id FROM enterprises
                WHERE status = 'active' AND (commissioner_id IS NOT NULL) = $1
                  AND ($2::text[] IS NULL OR district_code = ANY($2))`,
              [withCommissioner, districts],
            )
          )
            .map((row: { id: string }) => row.id)
            .sort();

        // Unfiltered but for this, the list's total must come from the rows, not the workload rollups.
        for (const [reader, districts] of [
          [admin, null],
          [southSupervisor, ['220102', '220104']],
        ] as const) {
          const without = await listed('hasCommissioner=false', reader.auth);
          const withOne = await listed('hasCommissioner=true', reader.auth);
          expect(without).toEqual(await inLedger(false, districts ? [...districts] : null));
          expect(withOne).toEqual(await inLedger(true, districts ? [...districts] : null));
          expect(without).toContain(waiting);
          expect(withOne).toContain(served);
          expect([...without, ...withOne]).not.toContain(archived);
          expect(without.includes(waitingElsewhere)).toBe(reader === admin);
        }
        expect(await listed('hasCommissioner=false&districtCode=220104&q=测试')).toContain(waiting);
        await t.http().get('/api/v1/enterprises?hasCommissioner=yes').set('Authorization', admin.auth).expect(400);
      });

      it('visitDueWithinDays: active enterprises due a visit within N days, the overdue ones included', async () => {
        const make = async (name: string) =>
          (await createEnterprise(t, admin.auth, { name, tier: 'municipal', commissionerId: zhang.user.id })).id;
        const visit = (id: string, visitedAt: number, nextFollowUpAt?: number) =>
          under(id, 'visits', {
            visitedAt: new Date(visitedAt).toISOString(),
            ...(nextFollowUpAt ? { nextFollowUpAt: new Date(nextFollowUpAt).toISOString() } : {}),
            method: 'phone',
            summary: '回访',
          });
        const e = {
          overdue: await make('到期甲逾期公司'),
          inFive: await make('到期乙五天后公司'),
          inTwenty: await make('到期丙二十天后公司'),
          never: await make('到期丁未走访公司'),
          archived: await make('到期戊已归档公司'),
        };
        const now = Date.now();
        await visit(e.overdue, now - 40 * DAY); // municipal: due 30 days later, 10 days ago
        await visit(e.inFive, now, now + 5 * DAY);
        await visit(e.inTwenty, now, now + 20 * DAY);
        await visit(e.archived, now, now + 2 * DAY);
        await archive(e.archived);

        expect(await named(e, 'q=到期&visitDueWithinDays=0')).toEqual(['overdue']);
        expect(await named(e, 'q=到期&visitDueWithinDays=7')).toEqual(['inFive', 'overdue']);
        expect(await named(e, 'q=到期&visitDueWithinDays=30')).toEqual(['inFive', 'inTwenty', 'overdue']);
        expect(await named(e, 'q=到期&visitDueWithinDays=366&status=all')).toEqual(['inFive', 'inTwenty', 'overdue']);
        expect(await named(e, 'q=到期&visitDueWithinDays=7&hasShortage=false')).toEqual(['inFive', 'overdue']);
        for (const bad of ['-1', '367', '1.5', 'abc', '', '7&visitDueWithinDays=8']) {
          const response = await t
            .http()
            .get(`/api/v1/enterprises?visitDueWithinDays=${bad}`)
            .set('Authorization', admin.auth)
            .expect(400);
          const fields = response.body.errors.map((error: { field: string }) => error.field);
          expect({ bad, fields: [...new Set(fields)] }).toEqual({ bad, fields: ['visitDueWithinDays'] });
        }
      });

      it('demandsStale: open demands none of which was updated within the stale window of settings', async () => {
        const make = async (name: string) =>
          (await createEnterprise(t, admin.auth, { name, commissionerId: zhang.user.id })).id;
        const demand = async (id: string, updatedDaysAgo: number, filled = false) => {
          const created = await under(id, 'demands', {
            occupation: '焊工',
            occupationCategory: '6',
            headcount: 3,
            filledCount: filled ? 3 : 0,
          });
          // Dated by this process's clock, which the API's list compares against.
          await t.db.query(`UPDATE demands SET updated_at = $2 WHERE id = $1`, [
            created.body.id,
            new Date(Date.now() - updatedDaysAgo * DAY),
          ]);
        };
        const e = {
          stale: await make('需求甲久未更新公司'),
          mixed: await make('需求乙一新一旧公司'),
          fresh: await make('需求丙新近更新公司'),
          filledLongAgo: await make('需求丁早已满员公司'),
          none: await make('需求戊无需求公司'),
          almost: await make('需求己将要过期公司'),
          archived: await make('需求庚已归档公司'),
        };
        await demand(e.stale, 40);
        await demand(e.mixed, 40);
        await demand(e.mixed, 1);
        await demand(e.fresh, 0);
        await demand(e.filledLongAgo, 40, true);
        await demand(e.almost, 25);
        await demand(e.archived, 40);
        await archive(e.archived);

        // The default window (30 days, the demand_stale reminder's).
        expect(await named(e, 'q=需求&demandsStale=true')).toEqual(['stale']);
        expect(await named(e, 'q=需求&demandsStale=false')).toEqual([
          'almost',
          'filledLongAgo',
          'fresh',
          'mixed',
          'none',
        ]);
        expect(await named(e, 'q=需求&demandsStale=true&status=all')).toEqual(['stale']);

        // The window is the setting the reminder reads: a shorter one makes 25 days stale too.
        const settings = (await t.http().get('/api/v1/settings').set('Authorization', admin.auth).expect(200)).body;
        const setStaleDays = (days: number, version: number) =>
          t
            .http()
            .patch('/api/v1/settings')
            .set('Authorization', admin.auth)
            .send({ reminderOffsets: { demandStaleDays: days }, version })
            .expect(200);
        const shorter = await setStaleDays(20, settings.version);
        try {
          expect(await named(e, 'q=需求&demandsStale=true')).toEqual(['almost', 'stale']);
        } finally {
          await setStaleDays(settings.reminderOffsets.demandStaleDays, shorter.body.version);
        }
        await t.http().get('/api/v1/enterprises?demandsStale=1').set('Authorization', admin.auth).expect(400);
      });
    });

    it('pages within limits', async () => {
      const first = await list('sort=name&pageSize=2&page=1').expect(200);
      const second = await list('sort=name&pageSize=2&page=2').expect(200);
      expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(first.body.items).toHaveLength(2);
      expect(second.body.items).toHaveLength(1);
      await list('pageSize=0').expect(400);
      await list('pageSize=101').expect(400);
      await list('page=0').expect(400);
      await list('page=abc').expect(400);
    });
  });

  describe('paging by cursor (`after`)', () => {
    const ids: string[] = [];

    beforeAll(async () => {
      // Ties in every sort, due dates missing (NULL) on some, moments a microsecond apart, and a
      // name so long that its cursor names the row by id.
      const rows: [string, number, string | null, string][] = [
        ['翻页甲', 10, '2030-01-01T00:00:00.000001Z', '2025-01-01T00:00:00.000001Z'],
        ['翻页乙', 10, null, '2025-01-01T00:00:00.000002Z'],
        ['翻页丙', 10, '2030-01-01T00:00:00.000001Z', '2025-01-01T00:00:00.000001Z'],
        ['翻页丁', 20, '2030-01-01T00:00:00.000002Z', '2025-01-01T00:00:00.000002Z'],
        ['翻页戊', 20, null, '2025-01-01T00:00:00.000003Z'],
        [`翻页己${'长'.repeat(190)}`, 30, '2029-12-31T23:59:59.999999Z', '2025-01-01T00:00:00.000001Z'],
        ['翻页甲', 30, null, '2025-01-01T00:00:00.000001Z'],
      ];
      for (const [name, employeeCount, due, updated] of rows) {
        const { id } = await createEnterprise(t, admin.auth, {
          name,
          employeeCount,
          districtCode: ids.length % 2 ? '220104' : '220103',
        });
        await t.db.query('UPDATE enterprises SET next_visit_due_at = $2, updated_at = $3 WHERE id = $1', [
          id,
          due,
          updated,
        ]);
        ids.push(id);
      }
    });

    const path = '/api/v1/enterprises';

    it.each([
      'sort=name',
      'sort=-name',
      'sort=employeeCount',
      'sort=-employeeCount',
      'sort=nextVisitDueAt',
      'sort=-nextVisitDueAt',
      'sort=updatedAt',
      'sort=-updatedAt',
      'sort=-shortage',
    ])('reads the same rows by cursor as by page number with %s', async (sort) => {
      for (const pageSize of [1, 3]) {
        const listed = await expectCursorPagesMatchOffsetPages(t, admin.auth, path, `q=翻页&${sort}`, pageSize);
        expect([...listed].sort()).toEqual([...ids].sort());
      }
    });

    it('keeps to the filters and the scope while paging by cursor', async () => {
      await expectCursorPagesMatchOffsetPages(t, admin.auth, path, 'q=翻页&districtCode=220104&sort=-employeeCount', 1);
      const south = await expectCursorPagesMatchOffsetPages(t, southSupervisor.auth, path, 'q=翻页&sort=name', 2);
      expect(south).toHaveLength(3);
      // The whole ledger, whose count is read from the rollups.
      await expectCursorPagesMatchOffsetPages(t, citySupervisor.auth, path, 'status=active', 10);
    });

    it('gives a cursor on a page reached by number, and echoes the page sent with it', async () => {
      const third = await t.http().get(`${path}?q=翻页&sort=name&pageSize=2&page=3`).set('Authorization', admin.auth);
      const fourth = await t
        .http()
        .get(`${path}?q=翻页&sort=name&pageSize=2&page=9&after=${third.body.nextCursor}`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(fourth.body).toMatchObject({ page: 9, pageSize: 2, total: 7, nextCursor: null });
      expect(fourth.body.items).toHaveLength(1);
      expect(fourth.body).not.toHaveProperty('after');
    });

    it('refuses a cursor of another sort, and a malformed one, with 400', async () => {
      await expectCursorRefusals(t, admin.auth, path, 'q=翻页&sort=name', '-name');
      await expectCursorRefusals(t, admin.auth, path, 'q=翻页', 'nextVisitDueAt');
      const history = (await t.http().get(`${path}/${ids[0]}/history`).set('Authorization', admin.auth)).body;
      const cursor = (await t.http().get(`${path}?q=翻页&pageSize=1`).set('Authorization', admin.auth)).body.nextCursor;
      expect(history.nextCursor).toBeNull();
      const another = await t
        .http()
        .get(`${path}/${ids[0]}/history?after=${cursor}`)
        .set('Authorization', admin.auth)
        .expect(400);
      expect(another.body.detail).toBe('after: this cursor was made for another list; start from page 1');
    });

    it("pages an enterprise's history by cursor", async () => {
      const id = ids[1];
      for (let version = 1; version <= 4; version++) {
        await patch(admin.auth, id, { employeeCount: 100 + version, version }).expect(200);
      }
      const history = await expectCursorPagesMatchOffsetPages(t, admin.auth, `${path}/${id}/history`, '', 2);
      expect(history).toHaveLength(5);
    });
  });
});
