import { randomUUID } from 'node:crypto';
import { createEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { expectCursorPagesMatchOffsetPages, expectCursorRefusals } from './support/paging';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('visits and staffing demands', () => {
  let t: TestApp;
  let admin: TestUser;
  let supervisor: TestUser;
  let zhang: TestUser;
  let liu: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    supervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    zhang = await createUser(t, 'commissioner', { displayName: '张伟' });
    liu = await createUser(t, 'commissioner');
  });
  afterAll(() => t.close());

  const count = async (table: string) => Number((await t.db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const enterpriseOf = (id: string, auth = admin.auth) =>
    t.http().get(`/api/v1/enterprises/${id}`).set('Authorization', auth).expect(200);
  const visit = (auth: string, id: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/enterprises/${id}/visits`).set('Authorization', auth).send(body);
  const demand = (overrides: Record<string, unknown> = {}) => ({
    occupation: '焊工',
    occupationCategory: '6',
    headcount: 10,
    salaryMin: 5000,
    salaryMax: 7000,
    ...overrides,
  });

  describe('logging a visit', () => {
    it('records the visit with its demands and problems, updates the headcount and schedules the next visit', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, tier: 'municipal' });
      const visitedAt = daysAgo(2);
      const response = await visit(zhang.auth, enterprise.id, {
        visitedAt,
        method: 'on_site',
        summary: '走访了解用工情况',
        employeeCount: 640,
        nonLocalStaying: 30,
        demands: [demand(), demand({ occupation: '电工', headcount: 3, filledCount: 1 })],
        problems: [{ title: '招工难', category: 'recruitment', priority: 'high' }],
      }).expect(201);
      expect(response.body).toMatchObject({
        enterpriseId: enterprise.id,
        commissioner: { id: zhang.user.id, displayName: '张伟' },
        method: 'on_site',
        employeeCount: 640,
        nonLocalStaying: 30,
      });
      expect(response.body.demandIds).toHaveLength(2);
      expect(response.body.problemIds).toHaveLength(1);

      const problem = await t
        .http()
        .get(`/api/v1/problems/${response.body.problemIds[0]}`)
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(problem.body).toMatchObject({ sourceVisitId: response.body.id, assigneeId: zhang.user.id });
      const firstDemand = await t
        .http()
        .get(`/api/v1/demands/${response.body.demandIds[0]}`)
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(firstDemand.body.sourceVisitId).toBe(response.body.id);
      // What the visit found, listed in one call each (its page), whatever their status.
      const ids = (body: { items: { id: string }[] }) => body.items.map((item) => item.id).sort();
      const found = `sourceVisitId=${response.body.id}&status=all`;
      const demands = await t.http().get(`/api/v1/demands?${found}`).set('Authorization', zhang.auth).expect(200);
      expect(ids(demands.body)).toEqual([...response.body.demandIds].sort());
      const problems = await t.http().get(`/api/v1/problems?${found}`).set('Authorization', zhang.auth).expect(200);
      expect(ids(problems.body)).toEqual(response.body.problemIds);
      await t.http().get('/api/v1/demands?sourceVisitId=nope').set('Authorization', zhang.auth).expect(400);

      const after = await enterpriseOf(enterprise.id);
      expect(after.body).toMatchObject({
        employeeCount: 640,
        shortage: 12,
        openProblems: 1,
        overdueProblems: 0,
        lastVisitAt: new Date(visitedAt).toISOString(),
        nextVisitDueAt: new Date(new Date(visitedAt).getTime() + 30 * DAY).toISOString(),
        vacancyStructure: {
          byOccupationCategory: [{ code: '6', name: '生产制造及有关人员', shortage: 12 }],
          byOccupation: [
            { occupation: '焊工', shortage: 10 },
            { occupation: '电工', shortage: 2 },
          ],
        },
      });
      const history = await t
        .http()
        .get(`/api/v1/enterprises/${enterprise.id}/history`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(history.body.items[0]).toMatchObject({
        action: 'visit',
        actor: { id: zhang.user.id },
        changes: { employeeCount: { from: enterprise.employeeCount, to: 640 } },
      });
    });

    it('saves a visit once when the client sends it again with the same clientRequestId (its answer was lost)', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const clientRequestId = randomUUID();
      const body = {
        clientRequestId,
        visitedAt: daysAgo(1),
        method: 'phone',
        summary: '电话回访，网络中断后重发',
        demands: [demand()],
        problems: [{ title: '招工难', category: 'recruitment', priority: 'normal' }],
      };
      const [first, again] = await Promise.all([
        visit(zhang.auth, enterprise.id, body),
        visit(zhang.auth, enterprise.id, body),
      ]);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.id).toBe(first.body.id);
      const later = await visit(zhang.auth, enterprise.id, body).expect(201);
      expect(later.body).toMatchObject({ id: first.body.id, demandIds: first.body.demandIds });
      const visits = await t
        .http()
        .get(`/api/v1/visits?enterpriseId=${enterprise.id}`)
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(visits.body.total).toBe(1);
      const demands = await t
        .http()
        .get(`/api/v1/demands?enterpriseId=${enterprise.id}&status=all`)
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(demands.body.total).toBe(1);
      // A new id is a new visit; the same id for another enterprise is refused.
      await visit(zhang.auth, enterprise.id, { ...body, clientRequestId: randomUUID() }).expect(201);
      const other = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const refused = await visit(zhang.auth, other.id, body).expect(400);
      expect(refused.body.errors).toEqual([
        { field: 'clientRequestId', message: 'belongs to a visit to another enterprise' },
      ]);
    });

    it('writes nothing when one inline item is invalid, and names it', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const before = await Promise.all(['visits', 'demands', 'problems', 'enterprise_revisions'].map(count));
      const response = await visit(zhang.auth, enterprise.id, {
        visitedAt: daysAgo(1),
        method: 'phone',
        summary: '电话回访',
        employeeCount: 999,
        demands: [demand(), demand({ headcount: 2, filledCount: 5 })],
        problems: [{ title: '社保补贴申领', category: 'policy_subsidy' }],
      }).expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'demands.1.filledCount' })]);
      expect(await Promise.all(['visits', 'demands', 'problems', 'enterprise_revisions'].map(count))).toEqual(before);
      const unchanged = await enterpriseOf(enterprise.id);
      expect(unchanged.body).toMatchObject({ employeeCount: enterprise.employeeCount, shortage: 0, lastVisitAt: null });

      const badProblem = await visit(zhang.auth, enterprise.id, {
        visitedAt: daysAgo(1),
        method: 'phone',
        summary: '电话回访',
        problems: [{ title: '欠薪', category: 'unknown' }],
      }).expect(400);
      expect(badProblem.body.errors).toEqual([expect.objectContaining({ field: 'problems.0.category' })]);
      expect(await count('visits')).toBe(before[0]);
    });

    it('refuses a visit in the future, a follow-up before the visit, and an unknown method', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const base = { method: 'online', summary: '线上沟通' };
      const future = new Date(Date.now() + 3600 * 1000).toISOString();
      await visit(zhang.auth, enterprise.id, { ...base, visitedAt: future }).expect(400);
      await visit(zhang.auth, enterprise.id, { ...base, visitedAt: daysAgo(1), nextFollowUpAt: daysAgo(2) }).expect(
        400,
      );
      await visit(zhang.auth, enterprise.id, { ...base, method: 'fax', visitedAt: daysAgo(1) }).expect(400);
      await visit(zhang.auth, enterprise.id, { ...base, visitedAt: '2026-11-01 10:00' }).expect(400);
    });

    it('follows nextFollowUpAt, and a visit entered late does not move the schedule back', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      const followUp = new Date(Date.now() + 5 * DAY).toISOString();
      const recent = daysAgo(1);
      await visit(zhang.auth, enterprise.id, {
        visitedAt: recent,
        method: 'phone',
        summary: '约定回访',
        nextFollowUpAt: followUp,
      }).expect(201);
      await visit(zhang.auth, enterprise.id, {
        visitedAt: daysAgo(20),
        method: 'on_site',
        summary: '补录上次走访',
      }).expect(201);
      const after = await enterpriseOf(enterprise.id);
      expect(after.body.lastVisitAt).toBe(new Date(recent).toISOString());
      expect(after.body.nextVisitDueAt).toBe(new Date(followUp).toISOString());
    });

    it("lets only the latest visit's headcount set the ledger's; an older one entered late is kept as history", async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, employeeCount: 300 });
      const recent = daysAgo(1);
      await visit(zhang.auth, enterprise.id, {
        visitedAt: recent,
        method: 'on_site',
        summary: '扩产',
        employeeCount: 800,
      }).expect(201);
      const late = await visit(zhang.auth, enterprise.id, {
        visitedAt: '2020-06-01T02:00:00.000Z',
        method: 'on_site',
        summary: '补录2020年走访',
        employeeCount: 5,
      }).expect(201);
      expect(late.body.employeeCount).toBe(5);
      const after = (await enterpriseOf(enterprise.id)).body;
      expect({ employeeCount: after.employeeCount, lastVisitAt: after.lastVisitAt }).toEqual({
        employeeCount: 800,
        lastVisitAt: new Date(recent).toISOString(),
      });
      const kept = await t.http().get(`/api/v1/visits/${late.body.id}`).set('Authorization', zhang.auth).expect(200);
      expect(kept.body.employeeCount).toBe(5);
    });

    it('takes the headcount and lastVisitAt from the same visit when many are logged at once', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, employeeCount: 300 });
      // Twenty visits a minute apart; the latest is entered first, the other nineteen all at once.
      const start = Date.now() - 30 * 60_000;
      const at = (i: number) => new Date(start + i * 60_000).toISOString();
      const log = (i: number) =>
        visit(zhang.auth, enterprise.id, {
          visitedAt: at(i),
          method: 'phone',
          summary: `走访 #${i}`,
          employeeCount: 100 + i,
        });
      await log(19).expect(201);
      const results = await Promise.all(Array.from({ length: 19 }, (_, i) => log(i)));
      expect(results.map((r) => r.status)).toEqual(Array(19).fill(201));
      const after = (await enterpriseOf(enterprise.id)).body;
      expect({ employeeCount: after.employeeCount, lastVisitAt: after.lastVisitAt }).toEqual({
        employeeCount: 119,
        lastVisitAt: at(19),
      });
    });

    it('marks an enterprise overdue when its next visit has passed, in the list filter too', async () => {
      const enterprise = await createEnterprise(t, admin.auth, {
        commissionerId: zhang.user.id,
        name: '逾期走访测试有限公司',
        visitCadenceDays: 10,
      });
      await visit(zhang.auth, enterprise.id, {
        visitedAt: daysAgo(15),
        method: 'on_site',
        summary: '半月前走访',
      }).expect(201);
      const overdue = await t
        .http()
        .get('/api/v1/enterprises?visitOverdue=true&q=逾期走访')
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(overdue.body.items.map((e: { id: string }) => e.id)).toEqual([enterprise.id]);
      // A longer cadence moves the due date, and the enterprise is no longer overdue.
      await t
        .http()
        .patch(`/api/v1/enterprises/${enterprise.id}`)
        .set('Authorization', admin.auth)
        .send({ visitCadenceDays: 30, version: 1 })
        .expect(200);
      const later = await t
        .http()
        .get('/api/v1/enterprises?visitOverdue=true&q=逾期走访')
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(later.body.total).toBe(0);
    });

    it('is open to the enterprise commissioner and managers in scope, 404 to everyone else', async () => {
      const enterprise = await createEnterprise(t, admin.auth, {
        commissionerId: zhang.user.id,
        districtCode: '220102',
      });
      const body = { visitedAt: daysAgo(1), method: 'phone', summary: '电话回访' };
      await visit(liu.auth, enterprise.id, body).expect(404);
      const bySupervisor = await visit(supervisor.auth, enterprise.id, body).expect(201);
      expect(bySupervisor.body.commissionerId).toBe(supervisor.user.id);
      await t.http().get(`/api/v1/visits/${bySupervisor.body.id}`).set('Authorization', liu.auth).expect(404);
      await t.http().get(`/api/v1/enterprises/${enterprise.id}/visits`).set('Authorization', liu.auth).expect(404);
      const list = await t.http().get('/api/v1/visits?pageSize=100').set('Authorization', liu.auth).expect(200);
      expect(list.body.items.map((v: { enterpriseId: string }) => v.enterpriseId)).not.toContain(enterprise.id);
    });

    it('lists visits with filters', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: liu.user.id });
      await visit(liu.auth, enterprise.id, { visitedAt: daysAgo(40), method: 'on_site', summary: '早前走访' }).expect(
        201,
      );
      await visit(liu.auth, enterprise.id, { visitedAt: daysAgo(3), method: 'phone', summary: '近期电话' }).expect(201);
      const mine = await t
        .http()
        .get(`/api/v1/visits?enterpriseId=${enterprise.id}&from=${encodeURIComponent(daysAgo(10))}`)
        .set('Authorization', liu.auth)
        .expect(200);
      expect(mine.body.items.map((v: { summary: string }) => v.summary)).toEqual(['近期电话']);
      const byMethod = await t
        .http()
        .get(`/api/v1/enterprises/${enterprise.id}/visits`)
        .set('Authorization', liu.auth)
        .expect(200);
      expect(byMethod.body.items.map((v: { summary: string }) => v.summary)).toEqual(['近期电话', '早前走访']);
      const onSite = await t
        .http()
        .get(`/api/v1/visits?method=on_site&commissionerId=${liu.user.id}`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(onSite.body.items.every((v: { method: string }) => v.method === 'on_site')).toBe(true);
    });

    it('refuses visits to archived enterprises with 409', async () => {
      const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
      await t.http().post(`/api/v1/enterprises/${enterprise.id}/archive`).set('Authorization', admin.auth).expect(200);
      await visit(zhang.auth, enterprise.id, { visitedAt: daysAgo(1), method: 'phone', summary: '已归档' }).expect(409);
    });
  });

  describe('demands', () => {
    let enterpriseId: string;
    beforeAll(async () => {
      enterpriseId = (await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id })).id;
    });
    const create = (body: Record<string, unknown>, auth = zhang.auth) =>
      t.http().post(`/api/v1/enterprises/${enterpriseId}/demands`).set('Authorization', auth).send(body);
    const update = (id: string, body: Record<string, unknown>, auth = zhang.auth) =>
      t.http().patch(`/api/v1/demands/${id}`).set('Authorization', auth).send(body);
    const shortage = async () => (await enterpriseOf(enterpriseId)).body.shortage as number;

    it.each([
      ['headcount 0', { headcount: 0 }, 'headcount'],
      ['filled above headcount', { headcount: 2, filledCount: 3 }, 'filledCount'],
      ['salary range reversed', { salaryMin: 9000, salaryMax: 5000 }, 'salaryMin'],
      ['unknown occupation category', { occupationCategory: '9' }, 'occupationCategory'],
      ['bad date', { neededBy: '2026-13-01' }, 'neededBy'],
      ['unknown urgency', { urgency: 'asap' }, 'urgency'],
    ])('refuses %s with 400, changing nothing', async (_, overrides, field) => {
      const before = await count('demands');
      const response = await create(demand(overrides)).expect(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await count('demands')).toBe(before);
    });

    it('keeps the shortage in step: filled when every position is, cancelled final', async () => {
      const created = await create(demand({ headcount: 4, neededBy: '2027-03-01', urgency: 'urgent' })).expect(201);
      expect(created.body).toMatchObject({ status: 'open', shortage: 4, neededBy: '2027-03-01', version: 1 });
      expect(await shortage()).toBe(4);

      const partly = await update(created.body.id, { filledCount: 3, version: 1 }).expect(200);
      expect(partly.body).toMatchObject({ status: 'open', shortage: 1, version: 2 });
      expect(await shortage()).toBe(1);

      const filled = await update(created.body.id, { filledCount: 4, version: 2 }).expect(200);
      expect(filled.body).toMatchObject({ status: 'filled', shortage: 0 });
      expect(await shortage()).toBe(0);

      await update(created.body.id, { filledCount: 5, version: 3 }).expect(400);
      await update(created.body.id, { headcount: 6, version: 2 }).expect(409);
      const reopened = await update(created.body.id, { headcount: 6, version: 3 }).expect(200);
      expect(reopened.body).toMatchObject({ status: 'open', shortage: 2 });

      const cancelled = await update(created.body.id, { status: 'cancelled', version: 4 }).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', shortage: 0 });
      expect(await shortage()).toBe(0);
      await update(created.body.id, { filledCount: 6, version: 5 }).expect(409);
      await update(created.body.id, { status: 'open', version: 5 }).expect(400);
      await update(created.body.id, { filledCount: 1 }).expect(400);
    });

    it('lists demands city-wide with filters, in scope only', async () => {
      const other = await createEnterprise(t, admin.auth, {
        commissionerId: liu.user.id,
        districtCode: '220105',
        industryCode: 'G',
      });
      await t
        .http()
        .post(`/api/v1/enterprises/${other.id}/demands`)
        .set('Authorization', liu.auth)
        .send(demand({ occupation: '叉车司机', occupationCategory: '4', headcount: 2 }))
        .expect(201);
      await create(demand({ occupation: '数控车床操作工', headcount: 7 })).expect(201);

      const mine = await t.http().get('/api/v1/demands?pageSize=100').set('Authorization', zhang.auth).expect(200);
      expect(mine.body.items.every((d: { enterpriseId: string }) => d.enterpriseId !== other.id)).toBe(true);
      const forklift = await t
        .http()
        .get('/api/v1/demands?occupation=叉车')
        .set('Authorization', admin.auth)
        .expect(200);
      expect(forklift.body.items).toHaveLength(1);
      expect(forklift.body.items[0]).toMatchObject({ enterprise: { id: other.id, name: other.name }, shortage: 2 });
      const byDistrict = await t
        .http()
        .get('/api/v1/demands?districtCode=220105&industryCode=G')
        .set('Authorization', admin.auth);
      expect(byDistrict.body.total).toBe(1);
      const sorted = await t
        .http()
        .get(`/api/v1/demands?enterpriseId=${enterpriseId}&sort=-shortage`)
        .set('Authorization', admin.auth)
        .expect(200);
      const shortages = sorted.body.items.map((d: { shortage: number }) => d.shortage);
      expect(shortages).toEqual([...shortages].sort((a, b) => b - a));
      await t.http().get('/api/v1/demands?sort=salary').set('Authorization', admin.auth).expect(400);
      await t.http().get(`/api/v1/demands/${forklift.body.items[0].id}`).set('Authorization', zhang.auth).expect(404);
      await update(forklift.body.items[0].id, { filledCount: 1, version: 1 }).expect(404);
    });

    it('summarises open demands by district, industry and occupation category', async () => {
      for (const groupBy of ['district', 'industry', 'occupationCategory']) {
        const summary = await t
          .http()
          .get(`/api/v1/demands/summary?groupBy=${groupBy}`)
          .set('Authorization', admin.auth)
          .expect(200);
        const sum = (field: 'openDemands' | 'shortage') =>
          summary.body.items.reduce((total: number, item: Record<string, number>) => total + item[field], 0);
        expect(summary.body.totals.shortage).toBe(sum('shortage'));
        expect(summary.body.totals.openDemands).toBe(sum('openDemands'));
        for (const item of summary.body.items)
          expect(item).toEqual({
            key: expect.any(String),
            name: expect.any(String),
            enterprises: expect.any(Number),
            openDemands: expect.any(Number),
            shortage: expect.any(Number),
          });
      }
      await t.http().get('/api/v1/demands/summary?groupBy=commissioner').set('Authorization', admin.auth).expect(400);
      await t.http().get('/api/v1/demands/summary').set('Authorization', admin.auth).expect(400);
    });
  });

  describe('paging by cursor (`after`)', () => {
    let enterpriseId: string;

    beforeAll(async () => {
      enterpriseId = (await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id })).id;
      // Two visits at the same moment: the id orders them.
      for (const days of [9, 5, 5, 2, 1]) {
        await visit(zhang.auth, enterpriseId, { visitedAt: daysAgo(days), method: 'phone', summary: '翻页' }).expect(
          201,
        );
      }
      const neededBy = [null, '2031-05-01', '2031-05-01', null, '2031-04-01', '2031-06-01'];
      for (const [index, day] of neededBy.entries()) {
        await t
          .http()
          .post(`/api/v1/enterprises/${enterpriseId}/demands`)
          .set('Authorization', zhang.auth)
          .send(demand({ headcount: 2 + (index % 3), neededBy: day }))
          .expect(201);
      }
    });

    it('reads the same visits by cursor as by page number, city-wide and under the enterprise', async () => {
      const visits = await expectCursorPagesMatchOffsetPages(t, admin.auth, '/api/v1/visits', '', 3);
      expect(visits.length).toBeGreaterThan(5);
      await expectCursorPagesMatchOffsetPages(t, zhang.auth, '/api/v1/visits', `enterpriseId=${enterpriseId}`, 2);
      await expectCursorPagesMatchOffsetPages(t, admin.auth, `/api/v1/enterprises/${enterpriseId}/visits`, '', 2);
    });

    it.each([
      'sort=-updatedAt',
      'sort=neededBy',
      'sort=-neededBy',
      'sort=headcount',
      'sort=-shortage',
      'sort=createdAt',
    ])('reads the same demands by cursor as by page number with %s', async (sort) => {
      await expectCursorPagesMatchOffsetPages(t, admin.auth, '/api/v1/demands', `status=all&${sort}`, 2);
      // Without a sort: the default order (latest updated first) has cursors of its own kind.
      await expectCursorPagesMatchOffsetPages(t, admin.auth, '/api/v1/demands', 'status=all', 3);
      const own = `/api/v1/enterprises/${enterpriseId}/demands`;
      expect(await expectCursorPagesMatchOffsetPages(t, zhang.auth, own, sort, 4)).toHaveLength(6);
    });

    it('refuses a cursor of another sort, and a malformed one, with 400', async () => {
      await expectCursorRefusals(t, admin.auth, '/api/v1/demands', 'status=all', 'neededBy');
      const visits = await t.http().get('/api/v1/visits?pageSize=1').set('Authorization', admin.auth).expect(200);
      const demands = await t
        .http()
        .get(`/api/v1/demands?after=${visits.body.nextCursor}`)
        .set('Authorization', admin.auth)
        .expect(400);
      expect(demands.body.detail).toBe('after: this cursor was made for another list; start from page 1');
    });
  });
});
