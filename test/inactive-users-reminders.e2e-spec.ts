import { DataSource } from 'typeorm';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, logVisit, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';
import { sentFor, startWorkerBeforeDigest, TestWorker } from './support/worker';

/**
 * People who have left (deactivated users) are told nothing: no reminder and no digest, even
 * where they are still an enterprise's commissioner or a problem's assignee; the active people
 * beside them are told as usual.
 */
describe('reminders and digests for deactivated users', () => {
  let t: TestApp;
  let db: DataSource;
  let worker: TestWorker;
  let admin: TestUser;
  let formerAdmin: TestUser;
  let zhang: TestUser; // active commissioner of `kept`
  let liu: TestUser; // commissioner of `orphaned`, deactivated
  let supervisor: TestUser; // active, whole city
  let formerSupervisor: TestUser; // deactivated, whole city
  let formerDistrictSupervisor: TestUser; // deactivated, the enterprises' district
  let kept: CreatedEnterprise;
  let orphaned: CreatedEnterprise;
  /** Tomorrow 08:30 Beijing time, on the worker's clock. */
  let digestAt: Date;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.db;
    admin = await createUser(t, 'admin');
    formerAdmin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    liu = await createUser(t, 'commissioner');
    supervisor = await createUser(t, 'supervisor');
    formerSupervisor = await createUser(t, 'supervisor');
    formerDistrictSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    kept = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
    orphaned = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: liu.user.id });
    for (const leaver of [formerAdmin, liu, formerSupervisor, formerDistrictSupervisor]) {
      const response = await t
        .http()
        .patch(`/api/v1/users/${leaver.user.id}`)
        .set('Authorization', admin.auth)
        .send({ active: false });
      expect(response.status).toBe(200);
      expect(response.body.active).toBe(false);
    }
    ({ worker, digestAt } = await startWorkerBeforeDigest());
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const leavers = () => [formerAdmin, liu, formerSupervisor, formerDistrictSupervisor].map((u) => u.user.id);
  const receivedBy = async (userIds: string[]): Promise<string[]> =>
    (
      await db.query(`SELECT kind, recipient_id AS "recipientId" FROM notifications WHERE recipient_id = ANY($1)`, [
        userIds,
      ])
    ).map((row: { kind: string; recipientId: string }) => `${row.kind}→${row.recipientId}`);

  it('sends reminders to the active people only', async () => {
    const longAgo = new Date(Date.now() - 30 * DAY).toISOString();
    const keptProblem = await reportProblem(t, zhang.auth, kept.id, { reportedAt: longAgo });
    // Assigned to liu, the enterprise's commissioner, who has left.
    const orphanedProblem = await reportProblem(t, admin.auth, orphaned.id, { reportedAt: longAgo });
    expect(orphanedProblem.assigneeId).toBe(liu.user.id);
    const visit = { visitedAt: new Date(Date.now() - 40 * DAY).toISOString(), nextFollowUpAt: longAgo };
    await logVisit(t, zhang.auth, kept.id, visit);
    await logVisit(t, admin.auth, orphaned.id, visit);
    await worker.idle();

    expect(await sentFor(db, keptProblem.id)).toEqual(
      [
        `problem_escalated→${admin.user.id}`,
        `problem_overdue→${supervisor.user.id}`,
        `problem_overdue→${zhang.user.id}`,
      ].sort(),
    );
    expect(await sentFor(db, orphanedProblem.id)).toEqual(
      [`problem_escalated→${admin.user.id}`, `problem_overdue→${supervisor.user.id}`].sort(),
    );
    expect(await sentFor(db, kept.id)).toEqual(
      [`visit_overdue→${supervisor.user.id}`, `visit_overdue→${zhang.user.id}`].sort(),
    );
    expect(await sentFor(db, orphaned.id)).toEqual([`visit_overdue→${supervisor.user.id}`]);
    expect(await receivedBy(leavers())).toEqual([]);
  });

  it('sends the 08:30 digest to the active people only', async () => {
    worker.clock.setNow(digestAt);
    expect((await worker.reconcile()).digest).toBe(true);
    await worker.idle();
    const digests: { recipientId: string }[] = await db.query(
      `SELECT recipient_id AS "recipientId" FROM notifications WHERE kind = 'digest'`,
    );
    expect(digests.map((d) => d.recipientId).sort()).toEqual([admin.user.id, zhang.user.id, supervisor.user.id].sort());
    expect(await receivedBy(leavers())).toEqual([]);
  });
});
