import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, HOUR, reportProblem } from './factories/field-work.factory';
import type { TestUser } from './factories/users.factory';
import { reminderScene } from './support/reminder-scene';
import type { TestApp } from './support/test-app';
import { sentFor, sentNotifications, sleep, TestWorker } from './support/worker';

/**
 * A new priority gives a problem a new deadline: the escalation reached under the old one is
 * cleared, what was scheduled for the old deadline sends nothing, and the new deadline's
 * reminders come in their turn.
 */
describe('re-prioritising an escalated problem', () => {
  let t: TestApp;
  let db: DataSource;
  let worker: TestWorker;
  let admin: TestUser;
  let zhang: TestUser;
  let supervisor: TestUser;
  let enterprise: CreatedEnterprise;

  /** Far enough ahead to change the priority first, near enough to wait for. */
  const LEAD = 5000;
  const HIGH_SLA = 3;
  const LOW_SLA = 15;

  beforeAll(async () => {
    ({ t, db, worker, admin, zhang, supervisor, enterprise } = await reminderScene());
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const problem = (id: string) => t.http().get(`/api/v1/problems/${id}`).set('Authorization', zhang.auth).expect(200);

  it('resets the escalation level, drops the old deadline’s wake-up and follows the new deadline', async () => {
    const logged: string[] = [];
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
    try {
      // High priority, reported so that it is 3 days overdue in LEAD ms: "overdue" goes out at once
      // (level 1) and a wake-up is set for the "escalated" moment, LEAD ms ahead.
      const escalatesAt = Date.now() + LEAD;
      const reportedAt = new Date(escalatesAt - (HIGH_SLA + 3) * DAY);
      const reported = await reportProblem(t, zhang.auth, enterprise.id, {
        priority: 'high',
        reportedAt: reportedAt.toISOString(),
      });
      await worker.idle();
      expect(await sentFor(db, reported.id)).toEqual(
        [`problem_overdue→${supervisor.user.id}`, `problem_overdue→${zhang.user.id}`].sort(),
      );
      const before = (await problem(reported.id)).body;
      expect(before.escalationLevel).toBe(1);
      const delayed = await worker.reminders.getDelayed();
      expect(delayed.some((job) => job.data.subjects.some((s: { id: string }) => s.id === reported.id))).toBe(true);

      // The change must land before the old escalation moment, or there is nothing to drop.
      expect(Date.now()).toBeLessThan(escalatesAt - 1000);
      // Low priority: due 15 days after it was reported, i.e. 9 days from now.
      const changed = await t
        .http()
        .patch(`/api/v1/problems/${reported.id}`)
        .set('Authorization', zhang.auth)
        .send({ priority: 'low', version: before.version })
        .expect(200);
      const newDueAt = reportedAt.getTime() + LOW_SLA * DAY;
      expect(changed.body).toMatchObject({ priority: 'low', escalationLevel: 0, overdue: false });
      expect(Date.parse(changed.body.dueAt)).toBe(newDueAt);
      expect(newDueAt).toBeGreaterThan(Date.now() + 8 * DAY);

      // The old "escalated" moment passes: its wake-up fires, finds nothing owed, and says so.
      await sleep(escalatesAt - Date.now() + 1500);
      await worker.idle();
      expect(await sentFor(db, reported.id)).toEqual(
        [`problem_overdue→${supervisor.user.id}`, `problem_overdue→${zhang.user.id}`].sort(),
      );
      expect((await problem(reported.id)).body.escalationLevel).toBe(0);
      expect(logged.some((line) => line.startsWith(`dropped subject=problem/${reported.id} `))).toBe(true);

      // The new deadline's reminders, on the worker's clock moved to their moments.
      const sweepAt = async (at: number) => {
        worker.clock.setNow(new Date(at));
        try {
          await worker.reconcile();
          await worker.idle();
        } finally {
          worker.clock.offsetMs = 0;
        }
      };
      await sweepAt(newDueAt - 24 * HOUR + 60 * 1000);
      expect(await sentFor(db, reported.id)).toEqual(
        [
          `problem_due_soon→${zhang.user.id}`,
          `problem_overdue→${supervisor.user.id}`,
          `problem_overdue→${zhang.user.id}`,
        ].sort(),
      );
      expect((await problem(reported.id)).body.escalationLevel).toBe(0);

      await sweepAt(newDueAt + 60 * 1000);
      const overdue = (await sentNotifications(db)).filter(
        (row) => row.subjectId === reported.id && row.kind === 'problem_overdue',
      );
      // Overdue once for each deadline: the old one's stay in the inbox, the new one's are added.
      expect(overdue.map((row) => `${row.recipientId} ${row.dueMoment.getTime()}`).sort()).toEqual(
        [
          `${supervisor.user.id} ${reportedAt.getTime() + HIGH_SLA * DAY}`,
          `${zhang.user.id} ${reportedAt.getTime() + HIGH_SLA * DAY}`,
          `${supervisor.user.id} ${newDueAt}`,
          `${zhang.user.id} ${newDueAt}`,
        ].sort(),
      );
      expect(await sentFor(db, reported.id)).not.toContain(`problem_escalated→${admin.user.id}`);
      expect((await problem(reported.id)).body.escalationLevel).toBe(1);
    } finally {
      log.mockRestore();
    }
  });
});
