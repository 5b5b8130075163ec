import { DataSource } from 'typeorm';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { addDemand, DAY, HOUR, logVisit, reportedForDue, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { expectCursorPagesMatchOffsetPages } from './support/paging';
import { createTestApp, TestApp } from './support/test-app';
import { sentFor, sentNotifications, sleep, startWorker, TestWorker, waitFor } from './support/worker';

/**
 * Each reminder kind at its moment, to the right people, through the real worker on real
 * PostgreSQL and Redis. Moments are placed a few seconds ahead by dating records in the past
 * (a problem reported 7 days ago with a 7-day SLA is due now), so delayed jobs really fire.
 */
describe('reminders', () => {
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  let admin: TestUser;
  let zhang: TestUser; // commissioner of the enterprise
  let liu: TestUser; // another commissioner
  let southSupervisor: TestUser; // 220102 is in scope
  let citySupervisor: TestUser; // no districts: the whole city
  let otherSupervisor: TestUser; // 220104 only: not in scope
  let enterprise: CreatedEnterprise;

  /** Far enough ahead to see that nothing fires early, near enough to wait for. */
  const LEAD = 2500;
  const NORMAL_SLA = 7;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.db;
    worker = await startWorker();
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    liu = await createUser(t, 'commissioner');
    southSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    citySupervisor = await createUser(t, 'supervisor');
    otherSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220104'] });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });
  beforeEach(async () => {
    enterprise = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
  });

  const supervisorsInScope = () => [southSupervisor.user.id, citySupervisor.user.id];
  const expected = (kind: string, ids: string[]) => ids.map((id) => `${kind}→${id}`);
  const problemDueAt = (dueAt: number, body: Record<string, unknown> = {}) =>
    reportProblem(t, zhang.auth, enterprise.id, { reportedAt: reportedForDue(dueAt, NORMAL_SLA), ...body });
  const idle = () => worker.idle();

  it('sends "problem due soon" 24 hours before the due date, to the assignee only', async () => {
    const dueAt = Date.now() + 24 * HOUR + LEAD;
    const problem = await problemDueAt(dueAt);
    await idle();
    expect(await sentFor(db, problem.id)).toEqual([]);

    await waitFor(async () => (await sentFor(db, problem.id)).length > 0, 10000, 'due soon');
    expect(await sentFor(db, problem.id)).toEqual([`problem_due_soon→${zhang.user.id}`]);
    const [row] = (await sentNotifications(db)).filter((r) => r.subjectId === problem.id);
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(dueAt - 24 * HOUR);
    expect(row.title).toBe(`问题即将到期：${problem.title}`);
    expect(row.body).toContain(String(enterprise.name));
    expect(row.body).toContain('还剩 23 小时');
  });

  it('sends "overdue" at the due date to the assignee and the supervisors in scope, and raises the level to 1', async () => {
    const dueAt = Date.now() + LEAD;
    const problem = await problemDueAt(dueAt);
    await idle();
    // Entered inside the last 24 hours: "due soon" applies at once; "overdue" not yet.
    expect(await sentFor(db, problem.id)).toEqual([`problem_due_soon→${zhang.user.id}`]);

    await waitFor(async () => (await sentFor(db, problem.id)).length > 1, 10000, 'overdue');
    await idle();
    expect(await sentFor(db, problem.id)).toEqual(
      [
        `problem_due_soon→${zhang.user.id}`,
        ...expected('problem_overdue', [zhang.user.id, ...supervisorsInScope()]),
      ].sort(),
    );
    const overdue = (await sentNotifications(db)).filter(
      (r) => r.kind === 'problem_overdue' && r.subjectId === problem.id,
    );
    for (const row of overdue) expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(dueAt);
    const detail = await t.http().get(`/api/v1/problems/${problem.id}`).set('Authorization', zhang.auth).expect(200);
    expect(detail.body.escalationLevel).toBe(1);
    expect(detail.body.events.map((e: { type: string }) => e.type)).toContain('escalated');
  });

  it('escalates to the admins 3 days after the due date (level 2), and lists it as escalated from then on', async () => {
    const dueAt = Date.now() - 3 * DAY + LEAD;
    const problem = await problemDueAt(dueAt);
    const notDue = await problemDueAt(Date.now() + 5 * DAY);
    /** The enterprise's problems a list shows, filtered by `escalated`. */
    const escalatedList = async (escalated: boolean) => {
      const response = await t
        .http()
        .get(`/api/v1/problems?enterpriseId=${enterprise.id}&escalated=${escalated}`)
        .set('Authorization', southSupervisor.auth)
        .expect(200);
      expect(response.body.total).toBe(response.body.items.length);
      return response.body.items.map((item: { id: string }) => item.id).sort();
    };
    await idle();
    // Already overdue when entered: overdue goes out at once, "due soon" never does.
    expect(await sentFor(db, problem.id)).toEqual(
      expected('problem_overdue', [zhang.user.id, ...supervisorsInScope()]).sort(),
    );
    // Overdue (level 1) is not yet escalated.
    expect(await escalatedList(true)).toEqual([]);
    expect(await escalatedList(false)).toEqual([problem.id, notDue.id].sort());
    await waitFor(async () => (await sentFor(db, problem.id)).length > 3, 10000, 'escalation');
    expect(await sentFor(db, problem.id)).toEqual(
      [
        ...expected('problem_overdue', [zhang.user.id, ...supervisorsInScope()]),
        `problem_escalated→${admin.user.id}`,
      ].sort(),
    );
    const detail = await t.http().get(`/api/v1/problems/${problem.id}`).set('Authorization', admin.auth).expect(200);
    expect(detail.body.escalationLevel).toBe(2);
    expect(await escalatedList(true)).toEqual([problem.id]);
    expect(await escalatedList(false)).toEqual([notDue.id]);
    await t.http().get('/api/v1/problems?escalated=2').set('Authorization', admin.auth).expect(400);
    const [escalated] = (await sentNotifications(db)).filter((r) => r.kind === 'problem_escalated');
    expect(escalated.title).toBe(`问题严重逾期：${problem.title}`);
  });

  it('sends only what still applies for an entry made long after the fact', async () => {
    const problem = await reportProblem(t, zhang.auth, enterprise.id, {
      reportedAt: new Date(Date.now() - 30 * DAY).toISOString(),
    });
    await waitFor(async () => (await sentFor(db, problem.id)).length >= 4, 10000, 'late reminders');
    await idle();
    expect(await sentFor(db, problem.id)).toEqual(
      [
        ...expected('problem_overdue', [zhang.user.id, ...supervisorsInScope()]),
        `problem_escalated→${admin.user.id}`,
      ].sort(),
    );
    const [overdue] = (await sentNotifications(db)).filter(
      (r) => r.kind === 'problem_overdue' && r.recipientId === zhang.user.id && r.subjectId === problem.id,
    );
    expect(overdue.body).toContain('已逾期 23 天');
  });

  it('sends "visit coming up" 3 days before the next visit is due, to the commissioner', async () => {
    const dueAt = Date.now() + 3 * DAY + LEAD;
    await logVisit(t, zhang.auth, enterprise.id, {
      visitedAt: new Date(Date.now() - HOUR).toISOString(),
      nextFollowUpAt: new Date(dueAt).toISOString(),
    });
    await idle();
    expect(await sentFor(db, enterprise.id)).toEqual([]);
    await waitFor(async () => (await sentFor(db, enterprise.id)).length > 0, 10000, 'visit upcoming');
    expect(await sentFor(db, enterprise.id)).toEqual([`visit_upcoming→${zhang.user.id}`]);
    const [row] = (await sentNotifications(db)).filter((r) => r.subjectId === enterprise.id);
    expect(row.title).toBe(`走访提醒：${String(enterprise.name)}`);
  });

  it('sends "visit overdue" a day after it fell due, to the commissioner and the supervisors in scope', async () => {
    const dueAt = Date.now() - DAY + LEAD;
    await logVisit(t, zhang.auth, enterprise.id, {
      visitedAt: new Date(Date.now() - 20 * DAY).toISOString(),
      nextFollowUpAt: new Date(dueAt).toISOString(),
    });
    await idle();
    // Already past the due date: "coming up" no longer applies.
    expect(await sentFor(db, enterprise.id)).toEqual([]);
    await waitFor(async () => (await sentFor(db, enterprise.id)).length >= 3, 10000, 'visit overdue');
    await idle();
    expect(await sentFor(db, enterprise.id)).toEqual(
      expected('visit_overdue', [zhang.user.id, ...supervisorsInScope()]).sort(),
    );
  });

  it('sends "demand list stale" once, to the commissioner only, when the open demands have not been updated for 30 days', async () => {
    const another = () => createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
    const backdate = (where: string, id: string, to: number) =>
      db.query(`UPDATE demands SET updated_at = $2 WHERE ${where} = $1`, [id, new Date(to)]);
    await addDemand(t, zhang.auth, enterprise.id);
    await addDemand(t, zhang.auth, enterprise.id, { occupation: '焊工' });
    // Last updated 29 days ago: a day to go.
    const recent = await another();
    await addDemand(t, zhang.auth, recent.id);
    // One demand untouched for 40 days, another added now: the list's latest update counts.
    const mixed = await another();
    const untouched = await addDemand(t, zhang.auth, mixed.id);
    await addDemand(t, zhang.auth, mixed.id, { occupation: '电工' });
    // Only a filled demand, however old: nothing open to go stale.
    const filled = await another();
    await addDemand(t, zhang.auth, filled.id, { headcount: 2, filledCount: 2 });
    // Stale for a day already, then updated through the API: the count starts again.
    const updated = await another();
    const demand = await addDemand(t, zhang.auth, updated.id);
    await idle(); // the checks the API enqueued for these writes have run before anything is backdated

    await backdate('enterprise_id', recent.id, Date.now() - 29 * DAY);
    await backdate('id', untouched.id, Date.now() - 40 * DAY);
    await backdate('enterprise_id', filled.id, Date.now() - 40 * DAY);
    await backdate('enterprise_id', updated.id, Date.now() - 31 * DAY);
    await t
      .http()
      .patch(`/api/v1/demands/${demand.id}`)
      .set('Authorization', zhang.auth)
      .send({ filledCount: 1, version: demand.version })
      .expect(200);
    const lastUpdate = Date.now() - 30 * DAY + LEAD;
    await backdate('enterprise_id', enterprise.id, lastUpdate);
    // Nothing in the API changed, so only the reconciler can find it: it schedules the wake-up.
    const report = await worker.reconcile();
    expect(report.wakeUps).toBeGreaterThanOrEqual(1);
    await idle();
    expect(await sentFor(db, enterprise.id)).toEqual([]);
    await waitFor(async () => (await sentFor(db, enterprise.id)).length > 0, 10000, 'demand stale');
    await idle();
    // The commissioner only: the supervisors in scope get nothing.
    expect(await sentFor(db, enterprise.id)).toEqual([`demand_stale→${zhang.user.id}`]);
    const [row] = (await sentNotifications(db)).filter((r) => r.subjectId === enterprise.id);
    expect(row.dueMoment.getTime()).toBe(lastUpdate);
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(lastUpdate + 30 * DAY);
    expect(row.body).toContain('有 2 条在招用工需求');

    // Once: another sweep finds nothing more to send, for this list or the others.
    await worker.reconcile();
    await sleep(500);
    await idle();
    expect(await sentFor(db, enterprise.id)).toEqual([`demand_stale→${zhang.user.id}`]);
    const others = { recent, mixed, filled, updated };
    const sentToOthers: Record<string, string[]> = {};
    for (const [name, other] of Object.entries(others)) sentToOthers[name] = await sentFor(db, other.id);
    expect(sentToOthers).toEqual({ recent: [], mixed: [], filled: [], updated: [] });
  });

  describe('what changes before the moment', () => {
    it('resolving a problem cancels its overdue reminder', async () => {
      const problem = await problemDueAt(Date.now() + LEAD);
      await idle(); // "due soon" has gone out; "overdue" is scheduled
      await t
        .http()
        .post(`/api/v1/problems/${problem.id}/transitions`)
        .set('Authorization', zhang.auth)
        .send({ action: 'resolve', resolution: '已协调人社局招聘会专场', version: problem.version })
        .expect(200);
      await sleep(LEAD + 1500);
      await idle();
      expect(await sentFor(db, problem.id)).toEqual([`problem_due_soon→${zhang.user.id}`]);
    });

    it('logging a visit cancels the visit overdue reminder', async () => {
      await logVisit(t, zhang.auth, enterprise.id, {
        visitedAt: new Date(Date.now() - 20 * DAY).toISOString(),
        nextFollowUpAt: new Date(Date.now() - DAY + LEAD).toISOString(),
      });
      await logVisit(t, zhang.auth, enterprise.id);
      await sleep(LEAD + 1500);
      await idle();
      expect(await sentFor(db, enterprise.id)).toEqual([]);
    });

    it('re-prioritising moves the due date and its reminders, either way', async () => {
      const later = await problemDueAt(Date.now() + LEAD + 24 * HOUR); // normal: due soon in LEAD
      await t
        .http()
        .patch(`/api/v1/problems/${later.id}`)
        .set('Authorization', zhang.auth)
        .send({ priority: 'low', version: later.version })
        .expect(200);
      // Reported 6 days ago with a 15-day SLA: due in 9 days, nothing now.
      const sooner = await reportProblem(t, zhang.auth, enterprise.id, {
        priority: 'low',
        reportedAt: new Date(Date.now() - 2 * DAY).toISOString(),
      });
      await t
        .http()
        .patch(`/api/v1/problems/${sooner.id}`)
        .set('Authorization', zhang.auth)
        .send({ priority: 'urgent', version: sooner.version })
        .expect(200);
      await sleep(LEAD + 1500);
      await idle();
      expect(await sentFor(db, later.id)).toEqual([]);
      // Urgent is due a day after it was reported: overdue at once.
      expect(await sentFor(db, sooner.id)).toEqual(
        expected('problem_overdue', [zhang.user.id, ...supervisorsInScope()]).sort(),
      );
    });

    it('a reassigned problem or enterprise reminds the new person', async () => {
      const problem = await problemDueAt(Date.now() + LEAD);
      await idle(); // "due soon" has gone out; "overdue" is scheduled
      await t
        .http()
        .post(`/api/v1/problems/${problem.id}/transitions`)
        .set('Authorization', southSupervisor.auth)
        .send({ action: 'reassign', assigneeId: liu.user.id, version: problem.version })
        .expect(200);
      await logVisit(t, zhang.auth, enterprise.id, {
        visitedAt: new Date(Date.now() - 20 * DAY).toISOString(),
        nextFollowUpAt: new Date(Date.now() - 2 * DAY).toISOString(),
      });
      await waitFor(async () => (await sentFor(db, enterprise.id)).length >= 3, 10000, 'visit overdue');
      await t
        .http()
        .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
        .set('Authorization', southSupervisor.auth)
        .send({
          commissionerId: liu.user.id,
          reason: '片区调整',
          version: (await t.db.query('SELECT version FROM enterprises WHERE id = $1', [enterprise.id]))[0].version,
        })
        .expect(200);
      await waitFor(async () => (await sentFor(db, problem.id)).some((s) => s.startsWith('problem_overdue')), 10000);
      await waitFor(async () => (await sentFor(db, enterprise.id)).length >= 4, 10000, 'visit overdue to liu');
      await idle();
      // "Due soon" still applied when it moved to liu, so liu got it too; "overdue" went to liu only.
      expect(await sentFor(db, problem.id)).toEqual(
        [
          ...expected('problem_due_soon', [zhang.user.id, liu.user.id]),
          ...expected('problem_overdue', [liu.user.id, ...supervisorsInScope()]),
        ].sort(),
      );
      expect(await sentFor(db, enterprise.id)).toEqual(
        expected('visit_overdue', [zhang.user.id, liu.user.id, ...supervisorsInScope()]).sort(),
      );
    });

    it('archiving an enterprise stops its reminders', async () => {
      const problem = await problemDueAt(Date.now() + LEAD);
      await idle(); // "due soon" has gone out; "overdue" is scheduled
      await t.http().post(`/api/v1/enterprises/${enterprise.id}/archive`).set('Authorization', admin.auth).expect(200);
      await sleep(LEAD + 1500);
      await idle();
      expect(await sentFor(db, problem.id)).toEqual([`problem_due_soon→${zhang.user.id}`]);
    });
  });

  it('never reaches a supervisor outside the district, and nothing is sent twice by a second sweep', async () => {
    await reportProblem(t, zhang.auth, enterprise.id, { reportedAt: new Date(Date.now() - 30 * DAY).toISOString() });
    await idle();
    const before = await sentNotifications(db);
    expect(before.some((row) => row.recipientId === otherSupervisor.user.id)).toBe(false);
    const report = await worker.reconcile();
    expect(report.dueSubjects).toBe(0);
    await idle();
    expect(await sentNotifications(db)).toHaveLength(before.length);
  });

  it('follows the offsets in settings: a change applies to what is already scheduled', async () => {
    const problem = await problemDueAt(Date.now() + 47 * HOUR);
    await idle();
    expect(await sentFor(db, problem.id)).toEqual([]);
    const settings = await t.http().get('/api/v1/settings').set('Authorization', admin.auth).expect(200);
    const change = (hours: number, version: number) =>
      t
        .http()
        .patch('/api/v1/settings')
        .set('Authorization', admin.auth)
        .send({ reminderOffsets: { problemDueSoonHours: hours }, version })
        .expect(200);
    const changed = await change(48, settings.body.version);
    try {
      // The change triggers a sweep, which finds the problem now within its 48 hours.
      await waitFor(async () => (await sentFor(db, problem.id)).length > 0, 10000, 'due soon under the new offset');
      expect(await sentFor(db, problem.id)).toEqual([`problem_due_soon→${zhang.user.id}`]);
      const [row] = (await sentNotifications(db)).filter((r) => r.subjectId === problem.id);
      expect(row.body).toContain('还剩 46 小时');
    } finally {
      await change(24, changed.body.version);
    }
  });

  describe('the inbox', () => {
    it('shows each person their own reminders, newest first, and marks them read', async () => {
      await reportProblem(t, zhang.auth, enterprise.id, {
        title: '社保补贴申领材料不全',
        reportedAt: new Date(Date.now() - 30 * DAY).toISOString(),
      });
      await idle();
      const inbox = await t
        .http()
        .get('/api/v1/notifications?pageSize=100')
        .set('Authorization', zhang.auth)
        .expect(200);
      const mine = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1`, [
        zhang.user.id,
      ]);
      expect(inbox.body.total).toBe(mine[0].n);
      expect(inbox.body.unread).toBe(mine[0].n);
      const [newest] = inbox.body.items;
      expect(Object.keys(newest).sort()).toEqual(
        ['id', 'kind', 'title', 'body', 'subjectType', 'subjectId', 'createdAt', 'readAt'].sort(),
      );
      expect(newest).toMatchObject({ kind: 'problem_overdue', subjectType: 'problem', readAt: null });
      expect(newest.title).toBe('问题已逾期：社保补贴申领材料不全');
      const times = inbox.body.items.map((n: { createdAt: string }) => Date.parse(n.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const read = await t
        .http()
        .post(`/api/v1/notifications/${newest.id}/read`)
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(read.body.readAt).not.toBeNull();
      const unread = await t
        .http()
        .get('/api/v1/notifications?unread=true&pageSize=100')
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(unread.body.total).toBe(mine[0].n - 1);
      expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(newest.id);

      // Someone else's notification does not exist for you.
      await t.http().post(`/api/v1/notifications/${newest.id}/read`).set('Authorization', liu.auth).expect(404);
      await t.http().post(`/api/v1/notifications/not-a-uuid/read`).set('Authorization', zhang.auth).expect(404);
      const liuInbox = await t.http().get('/api/v1/notifications').set('Authorization', liu.auth).expect(200);
      expect(liuInbox.body.items.map((n: { id: string }) => n.id)).not.toContain(newest.id);

      const all = await t.http().post('/api/v1/notifications/read-all').set('Authorization', zhang.auth).expect(200);
      expect(all.body).toEqual({ updated: mine[0].n - 1 });
      const after = await t
        .http()
        .get('/api/v1/notifications?unread=true')
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(after.body).toMatchObject({ total: 0, unread: 0, items: [] });
      // Marking read again keeps the first time.
      const again = await t
        .http()
        .post(`/api/v1/notifications/${newest.id}/read`)
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(again.body.readAt).toBe(read.body.readAt);
    });

    it('pages, and refuses bad paging, unknown filters and anonymous callers', async () => {
      const page = await t
        .http()
        .get('/api/v1/notifications?page=1&pageSize=2')
        .set('Authorization', zhang.auth)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      expect(page.body).toMatchObject({ page: 1, pageSize: 2 });
      await t.http().get('/api/v1/notifications?pageSize=101').set('Authorization', zhang.auth).expect(400);
      await t.http().get('/api/v1/notifications?unread=maybe').set('Authorization', zhang.auth).expect(400);
      await t.http().get('/api/v1/notifications?recipientId=x').set('Authorization', zhang.auth).expect(400);
      await t.http().get('/api/v1/notifications').expect(401);
    });

    it('pages by cursor as by page number, notifications of one moment and a microsecond apart included', async () => {
      const reader = await createUser(t, 'commissioner');
      const moments = ['.000001', '.000001', '.000002', '.000002', '.000003', '.000001', '.999999'];
      for (const [index, fraction] of moments.entries()) {
        await db.query(
          `INSERT INTO notifications (recipient_id, kind, subject_type, subject_id, due_moment, title, body, created_at, read_at)
           VALUES ($1, 'digest', 'user', $1, $2, '今日工作摘要', '…', $3, $4)`,
          [
            reader.user.id,
            new Date(Date.UTC(2025, 0, 1 + index)),
            `2025-03-01T08:00:00${fraction}Z`,
            index % 3 ? null : new Date(),
          ],
        );
      }
      for (const pageSize of [1, 2, 3]) {
        const path = '/api/v1/notifications';
        expect(await expectCursorPagesMatchOffsetPages(t, reader.auth, path, '', pageSize)).toHaveLength(7);
        expect(await expectCursorPagesMatchOffsetPages(t, reader.auth, path, 'unread=true', pageSize)).toHaveLength(4);
      }
      const refused = await t
        .http()
        .get('/api/v1/notifications?after=bm90IGEgY3Vyc29y')
        .set('Authorization', reader.auth)
        .expect(400);
      expect(refused.body.detail).toBe('after: this is not a cursor of this list; start from page 1');
    });
  });
});
