import { DataSource } from 'typeorm';
import { DigestService, digestMomentOf } from '@keydesk/domain';
import { createEnterprise } from './factories/enterprises.factory';
import { DAY, logVisit, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';
import { startWorkerBeforeDigest, TestWorker } from './support/worker';

describe('the 08:30 digest', () => {
  let t: TestApp;
  let db: DataSource;
  let worker: TestWorker;
  let admin: TestUser;
  let zhang: TestUser;
  let idle: TestUser; // a commissioner with nothing pending
  let supervisor: TestUser;
  let otherSupervisor: TestUser;
  /** Tomorrow 08:30 Beijing time, as the worker's clock will see it. */
  let digestAt: Date;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.db;
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    idle = await createUser(t, 'commissioner');
    supervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    otherSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220104'] });
    const plant = await createEnterprise(t, admin.auth, {
      name: '长春一汽配套零部件有限公司',
      districtCode: '220102',
      commissionerId: zhang.user.id,
    });
    const mill = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
    // Long overdue (escalated), and one resolved awaiting review.
    await reportProblem(t, zhang.auth, plant.id, {
      title: '技术工人招聘缺口',
      reportedAt: new Date(Date.now() - 20 * DAY).toISOString(),
    });
    const resolved = await reportProblem(t, zhang.auth, mill.id, { title: '稳岗补贴申领' });
    await t
      .http()
      .post(`/api/v1/problems/${resolved.id}/transitions`)
      .set('Authorization', zhang.auth)
      .send({ action: 'resolve', resolution: '已指导企业线上申领', version: resolved.version })
      .expect(200);
    await logVisit(t, zhang.auth, plant.id, {
      visitedAt: new Date(Date.now() - 40 * DAY).toISOString(),
      nextFollowUpAt: new Date(Date.now() - 10 * DAY).toISOString(),
    });
    ({ worker, digestAt } = await startWorkerBeforeDigest());
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const digests = (): Promise<{ recipientId: string; title: string; body: string; dueMoment: Date }[]> =>
    db.query(
      `SELECT recipient_id AS "recipientId", title, body, due_moment AS "dueMoment"
         FROM notifications WHERE kind = 'digest' ORDER BY recipient_id`,
    );

  it('sends nothing before 08:30', async () => {
    worker.clock.setNow(new Date(digestAt.getTime() - 60 * 1000));
    expect(await worker.app.get(DigestService).run()).toEqual([]);
    expect(await digests()).toEqual([]);
  });

  it('sends everyone with something pending one message listing it, once for the day', async () => {
    worker.clock.setNow(digestAt);
    const sent = await worker.app.get(DigestService).run();
    const rows = await digests();
    expect(rows).toHaveLength(sent.length);
    const byUser = new Map(rows.map((row) => [row.recipientId, row]));
    expect([...byUser.keys()].sort()).toEqual([admin.user.id, zhang.user.id, supervisor.user.id].sort());
    expect(byUser.has(idle.user.id)).toBe(false);
    expect(byUser.has(otherSupervisor.user.id)).toBe(false);

    const local = new Date(digestAt.getTime() + 8 * 3600 * 1000); // Beijing wall time
    const title = `每日待办 · ${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
    const mine = byUser.get(zhang.user.id)!;
    expect(mine.title).toBe(title);
    expect(mine.body.split('\n')).toEqual([
      '· 走访逾期的企业 1 家：长春一汽配套零部件有限公司',
      '· 已逾期的问题 1 个：技术工人招聘缺口',
    ]);
    expect(byUser.get(supervisor.user.id)!.body.split('\n')).toEqual([
      '· 走访逾期的企业 1 家：长春一汽配套零部件有限公司',
      '· 已逾期的问题 1 个：技术工人招聘缺口',
      '· 待审核的问题 1 个：稳岗补贴申领',
    ]);
    expect(byUser.get(admin.user.id)!.body).toBe('· 严重逾期（已升级）的问题 1 个：技术工人招聘缺口');
    expect(mine.dueMoment.getTime()).toBe(digestAt.getTime());

    // The scheduler firing late, the reconciler, a second worker: the day has gone out.
    worker.clock.setNow(new Date(digestAt.getTime() + 3 * 3600 * 1000));
    expect(await worker.app.get(DigestService).run()).toEqual([]);
    expect((await worker.reconcile()).digest).toBe(false);
    expect(await digests()).toHaveLength(rows.length);
  });

  it('is caught up by the reconciler when the 08:30 run was missed', async () => {
    worker.clock.setNow(new Date(digestAt.getTime() + DAY + 5 * 3600 * 1000)); // the next day, 13:30
    const report = await worker.reconcile();
    expect(report.digest).toBe(true);
    await worker.idle();
    expect(await digests()).toHaveLength(6);
    const next = digestMomentOf(worker.clock.now());
    const rows: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE due_moment = $1`, [
      next,
    ]);
    expect(rows[0].n).toBe(3);
  });

  it('is registered once as a 08:30 Asia/Shanghai job scheduler', async () => {
    const schedulers = await worker.reminders.getJobSchedulers();
    const digest = schedulers.filter((s) => s.key === 'digest' || s.id === 'digest');
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({ pattern: '30 8 * * *', tz: 'Asia/Shanghai' });
  });
});
