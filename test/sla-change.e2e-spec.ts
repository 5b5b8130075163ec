import { DataSource } from 'typeorm';
import type { CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, reportedForDue, reportProblem } from './factories/field-work.factory';
import type { TestUser } from './factories/users.factory';
import { reminderScene } from './support/reminder-scene';
import type { TestApp } from './support/test-app';
import { sentFor, sleep, TestWorker, waitFor } from './support/worker';

/**
 * A new SLA in settings is a rule for what comes next: due dates already given stay where they
 * are (and so do their reminders); problems reported or re-prioritised afterwards get the new one.
 */
describe('changing the SLA in settings', () => {
  let t: TestApp;
  let db: DataSource;
  let worker: TestWorker;
  let admin: TestUser;
  let zhang: TestUser;
  let supervisor: TestUser;
  let enterprise: CreatedEnterprise;

  const LEAD = 2500;

  beforeAll(async () => {
    ({ t, db, worker, admin, zhang, supervisor, enterprise } = await reminderScene());
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const detail = async (id: string) =>
    (await t.http().get(`/api/v1/problems/${id}`).set('Authorization', zhang.auth).expect(200)).body;

  it('keeps the due dates already given, and gives new and re-prioritised problems the new SLA', async () => {
    // Given under the default SLA (normal 7 days): one due in LEAD ms, one due in a week.
    const dueSoon = await reportProblem(t, zhang.auth, enterprise.id, {
      reportedAt: reportedForDue(Date.now() + LEAD, 7),
    });
    const reportedAt = new Date(Date.now() - 60 * 1000);
    const dueNextWeek = await reportProblem(t, zhang.auth, enterprise.id, { reportedAt: reportedAt.toISOString() });
    expect(Date.parse(dueNextWeek.dueAt as string)).toBe(reportedAt.getTime() + 7 * DAY);
    await worker.idle();

    const settings = await t.http().get('/api/v1/settings').set('Authorization', admin.auth).expect(200);
    const changed = await t
      .http()
      .patch('/api/v1/settings')
      .set('Authorization', admin.auth)
      .send({ slaDays: { normal: 10, high: 2 }, version: settings.body.version })
      .expect(200);
    expect(changed.body.slaDays).toMatchObject({ normal: 10, high: 2 });

    // Due dates already given stay, in the problem and in its list.
    expect((await detail(dueSoon.id)).dueAt).toBe(dueSoon.dueAt);
    expect((await detail(dueNextWeek.id)).dueAt).toBe(dueNextWeek.dueAt);
    const list = await t
      .http()
      .get(`/api/v1/enterprises/${enterprise.id}/problems?pageSize=100`)
      .set('Authorization', zhang.auth)
      .expect(200);
    const listed = new Map(list.body.items.map((p: { id: string; dueAt: string }) => [p.id, p.dueAt]));
    expect(listed.get(dueSoon.id)).toBe(dueSoon.dueAt);
    expect(listed.get(dueNextWeek.id)).toBe(dueNextWeek.dueAt);

    // A problem reported now gets the new SLA.
    const newReportedAt = new Date(Date.now() - 60 * 1000);
    const fresh = await reportProblem(t, zhang.auth, enterprise.id, { reportedAt: newReportedAt.toISOString() });
    expect(Date.parse(fresh.dueAt as string)).toBe(newReportedAt.getTime() + 10 * DAY);

    // Re-prioritised after the change: the new SLA of its new priority, counted from its report.
    const reprioritised = await t
      .http()
      .patch(`/api/v1/problems/${dueNextWeek.id}`)
      .set('Authorization', zhang.auth)
      .send({ priority: 'high', version: dueNextWeek.version })
      .expect(200);
    expect(Date.parse(reprioritised.body.dueAt)).toBe(reportedAt.getTime() + 2 * DAY);

    // The kept due date keeps its reminders: "overdue" comes at the old moment, not 3 days later.
    await sleep(Math.max(0, Date.parse(dueSoon.dueAt as string) - Date.now()));
    await waitFor(async () => (await sentFor(db, dueSoon.id)).length >= 3, 10000, 'overdue at the kept due date');
    await worker.idle();
    expect(await sentFor(db, dueSoon.id)).toEqual(
      [
        `problem_due_soon→${zhang.user.id}`,
        `problem_overdue→${supervisor.user.id}`,
        `problem_overdue→${zhang.user.id}`,
      ].sort(),
    );
    expect((await detail(dueSoon.id)).overdue).toBe(true);
  });
});
