import { createEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600 * 1000;

describe('/settings', () => {
  let t: TestApp;
  let admin: TestUser;
  let supervisor: TestUser;
  let zhang: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    supervisor = await createUser(t, 'supervisor');
    zhang = await createUser(t, 'commissioner');
  });
  afterAll(() => t.close());

  const get = (auth: string) => t.http().get('/api/v1/settings').set('Authorization', auth).expect(200);
  const patch = (auth: string, body: Record<string, unknown>) =>
    t.http().patch('/api/v1/settings').set('Authorization', auth).send(body);

  it('is readable by everyone, with the defaults of SPEC', async () => {
    for (const caller of [admin, supervisor, zhang]) {
      const settings = (await get(caller.auth)).body;
      expect(settings).toMatchObject({
        slaDays: { urgent: 1, high: 3, normal: 7, low: 15 },
        visitCadenceDays: { provincial: 14, municipal: 30, district: 60 },
        reminderOffsets: {
          visitUpcomingDays: 3,
          visitOverdueDays: 1,
          problemDueSoonHours: 24,
          problemLongOverdueDays: 3,
          demandStaleDays: 30,
        },
        version: 1,
      });
    }
  });

  it('is changed by admins only, with a version', async () => {
    await patch(supervisor.auth, { slaDays: { normal: 5 }, version: 1 }).expect(403);
    await patch(admin.auth, { slaDays: { normal: 5 } }).expect(400);
    await patch(admin.auth, { slaDays: { normal: 0 }, version: 1 }).expect(400);
    await patch(admin.auth, { slaDays: { sometimes: 5 }, version: 1 }).expect(400);
    const changed = await patch(admin.auth, { slaDays: { normal: 5 }, version: 1 }).expect(200);
    expect(changed.body).toMatchObject({ slaDays: { urgent: 1, high: 3, normal: 5, low: 15 }, version: 2 });
    await patch(admin.auth, { slaDays: { normal: 6 }, version: 1 }).expect(409);
  });

  it('gives new problems the new SLA', async () => {
    const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
    const problem = await t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/problems`)
      .set('Authorization', zhang.auth)
      .send({ title: '培训需求', category: 'training' })
      .expect(201);
    const { slaDays } = (await get(admin.auth)).body;
    expect(new Date(problem.body.dueAt).getTime() - new Date(problem.body.reportedAt).getTime()).toBe(
      slaDays.normal * DAY,
    );
  });

  it("moves the next visit of enterprises on their tier's default cadence, not of those with their own", async () => {
    const onDefault = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, tier: 'district' });
    const ownCadence = await createEnterprise(t, admin.auth, {
      commissionerId: zhang.user.id,
      tier: 'district',
      visitCadenceDays: 20,
    });
    const visitedAt = new Date(Date.now() - 2 * DAY).toISOString();
    for (const enterprise of [onDefault, ownCadence]) {
      await t
        .http()
        .post(`/api/v1/enterprises/${enterprise.id}/visits`)
        .set('Authorization', zhang.auth)
        .send({ visitedAt, method: 'phone', summary: '回访' })
        .expect(201);
    }
    const version = (await get(admin.auth)).body.version;
    await patch(admin.auth, { visitCadenceDays: { district: 45 }, version }).expect(200);
    const due = async (id: string) =>
      (await t.http().get(`/api/v1/enterprises/${id}`).set('Authorization', admin.auth).expect(200)).body;
    const a = await due(onDefault.id);
    expect(a.visitCadenceDays).toBe(45);
    expect(a.nextVisitDueAt).toBe(new Date(new Date(visitedAt).getTime() + 45 * DAY).toISOString());
    const b = await due(ownCadence.id);
    expect(b.nextVisitDueAt).toBe(new Date(new Date(visitedAt).getTime() + 20 * DAY).toISOString());
  });
});
