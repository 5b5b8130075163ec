import { DataSource } from 'typeorm';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, logVisit } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';
import { sentFor, startWorker, TestWorker, waitFor } from './support/worker';

/**
 * Who receives a reminder follows a change of a user at once: a supervisor given a district, or
 * a commissioner who is back, is told what is already due there soon after the change, not at
 * the next scheduled sweep (an hour away here, so only the change's own sweep can explain it).
 */
describe('reminders after a change of who a user is', () => {
  let t: TestApp;
  let db: DataSource;
  let worker: TestWorker;
  let admin: TestUser;
  let zhang: TestUser; // commissioner of `overdue`
  let liu: TestUser; // commissioner of `orphaned`, away for a while
  let supervisor: TestUser; // of 220104 at first: the enterprises' district (220102) is not theirs
  let overdue: CreatedEnterprise;
  let orphaned: CreatedEnterprise;

  const patchUser = async (user: TestUser, body: Record<string, unknown>) => {
    const response = await t.http().patch(`/api/v1/users/${user.user.id}`).set('Authorization', admin.auth).send(body);
    expect(response.status).toBe(200);
  };
  /** A visit due ten days ago: its "overdue" reminder applies to whoever receives it now. */
  const visitOverdueAt = async (enterprise: CreatedEnterprise, auth: string) => {
    const longAgo = new Date(Date.now() - 10 * DAY).toISOString();
    await logVisit(t, auth, enterprise.id, {
      visitedAt: new Date(Date.now() - 40 * DAY).toISOString(),
      nextFollowUpAt: longAgo,
    });
  };

  beforeAll(async () => {
    t = await createTestApp();
    db = t.db;
    worker = await startWorker({ env: { RECONCILE_INTERVAL_SECONDS: '3600' } });
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    liu = await createUser(t, 'commissioner');
    supervisor = await createUser(t, 'supervisor', { districtCodes: ['220104'] });
    overdue = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
    orphaned = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: liu.user.id });
    await patchUser(liu, { active: false });
    await visitOverdueAt(overdue, zhang.auth);
    await visitOverdueAt(orphaned, admin.auth);
    await worker.idle();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('tells a supervisor given a district what is overdue there, soon after the change', async () => {
    expect(await sentFor(db, overdue.id)).toEqual([`visit_overdue→${zhang.user.id}`]);
    const changedAt = Date.now();
    await patchUser(supervisor, { districtCodes: ['220104', '220102'] });
    await waitFor(async () => (await sentFor(db, overdue.id)).length > 1, 10000, "the supervisor's reminder");
    await worker.idle();
    expect(await sentFor(db, overdue.id)).toEqual(
      [`visit_overdue→${zhang.user.id}`, `visit_overdue→${supervisor.user.id}`].sort(),
    );
    const [row]: { createdAt: Date }[] = await db.query(
      `SELECT created_at AS "createdAt" FROM notifications WHERE recipient_id = $1 AND subject_id = $2`,
      [supervisor.user.id, overdue.id],
    );
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(changedAt);
    // The other enterprise of the district, whose commissioner is away, reaches the supervisor too.
    expect(await sentFor(db, orphaned.id)).toEqual([`visit_overdue→${supervisor.user.id}`]);
  });

  it('tells a commissioner who is back what fell due while they were away, soon after the change', async () => {
    expect(await sentFor(db, orphaned.id)).not.toContain(`visit_overdue→${liu.user.id}`);
    await patchUser(liu, { active: true });
    await waitFor(
      async () => (await sentFor(db, orphaned.id)).includes(`visit_overdue→${liu.user.id}`),
      10000,
      "the returning commissioner's reminder",
    );
    await worker.idle();
    expect(await sentFor(db, orphaned.id)).toEqual(
      [`visit_overdue→${supervisor.user.id}`, `visit_overdue→${liu.user.id}`].sort(),
    );
  });
});
