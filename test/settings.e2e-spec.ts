import { createEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

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
    const current = (await get(admin.auth)).body;
    const { version } = current;
    await patch(supervisor.auth, { slaDays: { normal: 5 }, version }).expect(403);
    await patch(admin.auth, { slaDays: { normal: 5 } }).expect(400);
    await patch(admin.auth, { slaDays: { normal: 0 }, version }).expect(400);
    await patch(admin.auth, { slaDays: { sometimes: 5 }, version }).expect(400);
    const changed = await patch(admin.auth, { slaDays: { normal: 5 }, version }).expect(200);
    // Only the named priority changes; the version moves by one.
    expect(changed.body).toMatchObject({ slaDays: { ...current.slaDays, normal: 5 }, version: version + 1 });
    await patch(admin.auth, { slaDays: { normal: 6 }, version }).expect(409);
    const back = await patch(admin.auth, { slaDays: { normal: current.slaDays.normal }, version: version + 1 });
    expect(back.status).toBe(200);
  });

  it('gives problems reported or re-prioritised after a change the new SLA, and leaves due dates already given', async () => {
    const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
    const setHighSla = async (days: number) => {
      const { version } = (await get(admin.auth)).body;
      const changed = await patch(admin.auth, { slaDays: { high: days }, version }).expect(200);
      expect(changed.body.slaDays.high).toBe(days);
    };
    const report = async (priority: string, reportedAt: number) =>
      (
        await t
          .http()
          .post(`/api/v1/enterprises/${enterprise.id}/problems`)
          .set('Authorization', zhang.auth)
          .send({ title: '培训需求', category: 'training', priority, reportedAt: new Date(reportedAt).toISOString() })
          .expect(201)
      ).body;
    // Whole seconds a few hours back: the same day or not, the SLA counts 24-hour days from it.
    const reportedAt = Math.floor(Date.now() / 1000) * 1000 - 5 * HOUR;

    await setHighSla(3);
    const before = await report('high', reportedAt);
    expect(before.dueAt).toBe(new Date(reportedAt + 3 * DAY).toISOString());
    const reprioritised = await report('low', reportedAt + 60 * 1000);

    await setHighSla(5);
    const after = await report('high', reportedAt);
    expect(after.reportedAt).toBe(new Date(reportedAt).toISOString());
    expect(after.dueAt).toBe(new Date(reportedAt + 5 * DAY).toISOString());
    // A new priority takes the SLA in force when it is set, counted from when the problem was reported.
    const raised = await t
      .http()
      .patch(`/api/v1/problems/${reprioritised.id}`)
      .set('Authorization', zhang.auth)
      .send({ priority: 'high', version: reprioritised.version })
      .expect(200);
    expect(raised.body.dueAt).toBe(new Date(reportedAt + 60 * 1000 + 5 * DAY).toISOString());
    // The problem reported under the old SLA keeps its due date.
    const unchanged = await t.http().get(`/api/v1/problems/${before.id}`).set('Authorization', zhang.auth).expect(200);
    expect(unchanged.body.dueAt).toBe(new Date(reportedAt + 3 * DAY).toISOString());
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

  it('is seen by the next request when another API process changed it (the process keeps settings by version)', async () => {
    const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, tier: 'municipal' });
    const cadence = async () =>
      (await t.http().get(`/api/v1/enterprises/${enterprise.id}`).set('Authorization', zhang.auth).expect(200)).body
        .visitCadenceDays;
    const before = await cadence();
    expect(await cadence()).toBe(before);
    // Another process's change: the row and its version move without this process hearing of it.
    await t.db.query(
      `UPDATE settings SET visit_cadence_days = visit_cadence_days || jsonb_build_object('municipal', $1::int),
              version = version + 1 WHERE id = 1`,
      [before + 7],
    );
    expect(await cadence()).toBe(before + 7);
  });
});
