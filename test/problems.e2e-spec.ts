import { createEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { expectCursorPagesMatchOffsetPages, expectCursorRefusals } from './support/paging';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600 * 1000;

describe('problem-resolution lists', () => {
  let t: TestApp;
  let admin: TestUser;
  let supervisor: TestUser;
  let otherSupervisor: TestUser;
  let zhang: TestUser;
  let liu: TestUser;
  let enterpriseId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    supervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'], displayName: '李科长' });
    otherSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220105'] });
    zhang = await createUser(t, 'commissioner', { displayName: '张伟' });
    liu = await createUser(t, 'commissioner', { displayName: '刘芳' });
    enterpriseId = (await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, districtCode: '220102' }))
      .id;
  });
  afterAll(() => t.close());

  const report = (body: Record<string, unknown> = {}, auth = zhang.auth, id = enterpriseId) =>
    t
      .http()
      .post(`/api/v1/enterprises/${id}/problems`)
      .set('Authorization', auth)
      .send({ title: '用工缺口大', category: 'recruitment', ...body });
  const act = (auth: string, id: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/problems/${id}/transitions`).set('Authorization', auth).send(body);
  const read = (id: string, auth = admin.auth) => t.http().get(`/api/v1/problems/${id}`).set('Authorization', auth);

  /** A problem brought to the given state by the proper people. */
  async function problemIn(
    status: 'open' | 'in_progress' | 'resolved' | 'closed',
    id = enterpriseId,
  ): Promise<{ id: string; version: number }> {
    const created = (await report({}, zhang.auth, id).expect(201)).body;
    let version = created.version as number;
    const steps: Record<string, Record<string, unknown>[]> = {
      open: [],
      in_progress: [{ action: 'start' }],
      resolved: [{ action: 'resolve', resolution: '已对接招聘会' }],
      closed: [{ action: 'resolve', resolution: '已对接招聘会' }, { action: 'approve' }],
    };
    for (const step of steps[status]) {
      const auth = step.action === 'approve' ? supervisor.auth : zhang.auth;
      version = (await act(auth, created.id, { ...step, version }).expect(200)).body.version;
    }
    return { id: created.id, version };
  }

  it('creates a problem with SPEC defaults: assignee the commissioner, due by the SLA of its priority', async () => {
    const before = Date.now();
    const response = await report({ priority: 'urgent' }).expect(201);
    expect(response.body).toMatchObject({
      status: 'open',
      priority: 'urgent',
      assigneeId: zhang.user.id,
      assignee: { id: zhang.user.id, displayName: '张伟' },
      escalationLevel: 0,
      overdue: false,
      version: 1,
    });
    const reported = new Date(response.body.reportedAt).getTime();
    expect(reported).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(response.body.dueAt).getTime() - reported).toBe(1 * DAY);
    expect(response.body.events).toEqual([
      expect.objectContaining({ type: 'created', actor: { id: zhang.user.id, displayName: '张伟' } }),
    ]);
    const normal = await report().expect(201);
    expect(new Date(normal.body.dueAt).getTime() - new Date(normal.body.reportedAt).getTime()).toBe(7 * DAY);
  });

  it('takes a late-entered problem as reported in the past, and it can be overdue at once', async () => {
    const reportedAt = new Date(Date.now() - 5 * DAY).toISOString();
    const response = await report({ priority: 'high', reportedAt, title: '补录：社保断缴' }).expect(201);
    expect(response.body).toMatchObject({ overdue: true, reportedAt });
    expect(response.body.dueAt).toBe(new Date(new Date(reportedAt).getTime() + 3 * DAY).toISOString());
    const overdue = await t
      .http()
      .get('/api/v1/problems?overdue=true&pageSize=100')
      .set('Authorization', supervisor.auth)
      .expect(200);
    expect(overdue.body.items.map((p: { id: string }) => p.id)).toContain(response.body.id);
    await report({ reportedAt: new Date(Date.now() + 3600 * 1000).toISOString() }).expect(400);
  });

  it('recomputes the due date when the priority changes', async () => {
    const created = (await report({ priority: 'low' }).expect(201)).body;
    const edited = await t
      .http()
      .patch(`/api/v1/problems/${created.id}`)
      .set('Authorization', zhang.auth)
      .send({ priority: 'urgent', title: '用工缺口大（加急）', version: 1 })
      .expect(200);
    expect(edited.body).toMatchObject({ priority: 'urgent', version: 2 });
    expect(new Date(edited.body.dueAt).getTime() - new Date(created.reportedAt).getTime()).toBe(1 * DAY);
    expect(edited.body.events.at(-1)).toMatchObject({ type: 'edited', actor: { id: zhang.user.id } });
    await t
      .http()
      .patch(`/api/v1/problems/${created.id}`)
      .set('Authorization', zhang.auth)
      .send({ priority: 'high', version: 1 })
      .expect(409);
    await t
      .http()
      .patch(`/api/v1/problems/${created.id}`)
      .set('Authorization', liu.auth)
      .send({ priority: 'high', version: 2 })
      .expect(404);
  });

  describe('transitions', () => {
    type Caller = 'assignee' | 'commissioner' | 'supervisor' | 'admin';
    const callers = (): Record<Caller, TestUser> => ({ assignee: zhang, commissioner: liu, supervisor, admin });
    const bodies: Record<string, Record<string, unknown>> = {
      start: {},
      resolve: { resolution: '已协调解决' },
      approve: {},
      reject: { note: '证明材料不全' },
      reopen: { note: '企业反馈问题复发' },
      reassign: { assigneeId: 'LIU' },
      comment: { note: '已电话沟通' },
    };
    // SPEC's table: [action, from, to, who].
    const table: [string, string[], string | null, Caller[]][] = [
      ['start', ['open'], 'in_progress', ['assignee', 'supervisor']],
      ['resolve', ['open', 'in_progress'], 'resolved', ['assignee', 'supervisor']],
      ['approve', ['resolved'], 'closed', ['supervisor', 'admin']],
      ['reject', ['resolved'], 'in_progress', ['supervisor', 'admin']],
      ['reopen', ['closed'], 'in_progress', ['supervisor', 'admin']],
      ['reassign', ['open', 'in_progress', 'resolved'], null, ['supervisor', 'admin']],
      ['comment', ['open', 'in_progress', 'resolved', 'closed'], null, ['assignee', 'supervisor', 'admin']],
    ];
    const cases = table.flatMap(([action, from, to, who]) =>
      (['open', 'in_progress', 'resolved', 'closed'] as const).flatMap((status) =>
        (['assignee', 'commissioner', 'supervisor', 'admin'] as const).map((caller) => {
          // A commissioner who is neither assignee nor the enterprise's commissioner cannot see it at all.
          const expected =
            caller === 'commissioner' ? 404 : !who.includes(caller) ? 403 : !from.includes(status) ? 409 : 200;
          return { action, status, caller, expected, to: to ?? status };
        }),
      ),
    );

    it.each(cases)('$action from $status by $caller → $expected', async ({ action, status, caller, expected, to }) => {
      const problem = await problemIn(status);
      const body: Record<string, unknown> = { action, ...bodies[action], version: problem.version };
      if (body.assigneeId === 'LIU') body.assigneeId = liu.user.id;
      const response = await act(callers()[caller].auth, problem.id, body);
      expect(response.status).toBe(expected);
      const after = (await read(problem.id)).body;
      if (expected === 200) {
        expect(after.status).toBe(to);
        expect(after.events.at(-1)).toMatchObject({ actor: { id: callers()[caller].user.id } });
        if (action === 'reassign') expect(after.assigneeId).toBe(liu.user.id);
      } else {
        expect(after).toMatchObject({ status, version: problem.version });
        if (expected === 409) expect(response.body.detail).toContain(status);
      }
    });

    it('needs a resolution to resolve and a note to reject, changing nothing without', async () => {
      const open = await problemIn('open');
      const missing = await act(zhang.auth, open.id, { action: 'resolve', version: open.version }).expect(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'resolution' })]);
      const resolved = await problemIn('resolved');
      await act(supervisor.auth, resolved.id, { action: 'reject', version: resolved.version, note: '  ' }).expect(400);
      expect((await read(resolved.id)).body.status).toBe('resolved');
    });

    it('answers 409 to a stale version and 400 to a missing one; a comment needs none', async () => {
      const problem = await problemIn('in_progress');
      await act(zhang.auth, problem.id, { action: 'resolve', resolution: 'x', version: problem.version - 1 }).expect(
        409,
      );
      await act(zhang.auth, problem.id, { action: 'resolve', resolution: 'x' }).expect(400);
      const commented = await act(liu.auth, problem.id, { action: 'comment', note: 'hi' });
      expect(commented.status).toBe(404);
      const byAssignee = await act(zhang.auth, problem.id, { action: 'comment', note: '企业已补交材料' }).expect(200);
      expect(byAssignee.body.version).toBe(problem.version);
      expect(byAssignee.body.events.at(-1)).toMatchObject({ type: 'comment', note: '企业已补交材料' });
    });

    it('lets exactly one of two reviewers acting at once win', async () => {
      for (let round = 0; round < 3; round++) {
        const problem = await problemIn('resolved');
        const results = await Promise.all([
          act(supervisor.auth, problem.id, { action: 'approve', version: problem.version }),
          act(admin.auth, problem.id, { action: 'reject', note: '再核实', version: problem.version }),
        ]);
        expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
        const after = (await read(problem.id)).body;
        expect(after.version).toBe(problem.version + 1);
        expect(after.events.filter((event: { type: string }) => event.type === 'transition')).toHaveLength(2);
      }
    });

    it('keeps the whole timeline with actor, time and note', async () => {
      const problem = await problemIn('closed');
      await act(admin.auth, problem.id, { action: 'reopen', note: '企业反映未落实', version: problem.version }).expect(
        200,
      );
      const events = (await read(problem.id)).body.events;
      expect(events.map((event: { type: string; action: string | null }) => event.action ?? event.type)).toEqual([
        'created',
        'resolve',
        'approve',
        'reopen',
      ]);
      expect(events[1]).toMatchObject({
        fromStatus: 'open',
        toStatus: 'resolved',
        note: '已对接招聘会',
        actor: { displayName: '张伟' },
      });
      expect(events[3]).toMatchObject({ fromStatus: 'closed', toStatus: 'in_progress', note: '企业反映未落实' });
      for (const event of events) expect(new Date(event.at).getTime()).not.toBeNaN();
    });
  });

  it('lets a commissioner see problems assigned to them on enterprises that are not theirs', async () => {
    const problem = (await report().expect(201)).body;
    await read(problem.id, liu.auth).expect(404);
    await act(supervisor.auth, problem.id, { action: 'reassign', assigneeId: liu.user.id, version: 1 }).expect(200);
    const seen = await read(problem.id, liu.auth).expect(200);
    expect(seen.body.assignee).toEqual({ id: liu.user.id, displayName: '刘芳' });
    const list = await t.http().get('/api/v1/problems?pageSize=100').set('Authorization', liu.auth).expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(problem.id);
    await act(liu.auth, problem.id, { action: 'start', version: 2 }).expect(200);
    await t.http().get(`/api/v1/enterprises/${enterpriseId}`).set('Authorization', liu.auth).expect(404);
  });

  it('moves unfinished problems with the enterprise when its commissioner changes', async () => {
    const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, districtCode: '220102' });
    const ids: Record<string, string> = {};
    for (const status of ['open', 'in_progress', 'resolved', 'closed'] as const) {
      const created = (await report({}, zhang.auth, enterprise.id).expect(201)).body;
      ids[status] = created.id;
      let version = 1;
      if (status !== 'open')
        version = (
          await act(zhang.auth, created.id, {
            action: status === 'in_progress' ? 'start' : 'resolve',
            resolution: '办结',
            version,
          }).expect(200)
        ).body.version;
      if (status === 'closed') await act(supervisor.auth, created.id, { action: 'approve', version }).expect(200);
    }
    await t
      .http()
      .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
      .set('Authorization', supervisor.auth)
      .send({ commissionerId: liu.user.id, reason: '张伟休产假', version: 1 })
      .expect(200);
    for (const status of ['open', 'in_progress', 'resolved']) {
      const problem = (await read(ids[status])).body;
      expect(problem.assigneeId).toBe(liu.user.id);
      expect(problem.events.at(-1)).toMatchObject({
        type: 'reassigned',
        data: { from: zhang.user.id, to: liu.user.id },
      });
    }
    expect((await read(ids.closed)).body.assigneeId).toBe(zhang.user.id);
  });

  it("gives a commissioner no view of a former enterprise's closed problems; a reopen goes to its commissioner now", async () => {
    const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, districtCode: '220102' });
    const created = (await report({ description: '缺焊工三十名' }, zhang.auth, enterprise.id).expect(201)).body;
    const resolved = await act(zhang.auth, created.id, { action: 'resolve', resolution: '已对接招聘会', version: 1 });
    await act(supervisor.auth, created.id, { action: 'approve', version: resolved.body.version }).expect(200);
    await read(created.id, zhang.auth).expect(200);
    const enterpriseVersion = (
      await t.http().get(`/api/v1/enterprises/${enterprise.id}`).set('Authorization', admin.auth)
    ).body.version;
    await t
      .http()
      .put(`/api/v1/enterprises/${enterprise.id}/commissioner`)
      .set('Authorization', supervisor.auth)
      .send({ commissionerId: liu.user.id, reason: '张伟调岗', version: enterpriseVersion })
      .expect(200);

    // The old commissioner: no title, description or resolution, no comment, not in the list.
    const seen = await read(created.id, zhang.auth);
    expect(seen.status).toBe(404);
    for (const secret of ['用工缺口大', '缺焊工', '已对接招聘会'])
      expect(JSON.stringify(seen.body)).not.toContain(secret);
    await act(zhang.auth, created.id, { action: 'comment', note: '我还能看到吗' }).expect(404);
    const list = await t.http().get('/api/v1/problems?status=all&pageSize=100').set('Authorization', zhang.auth);
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(created.id);
    // The new commissioner sees it with the enterprise.
    await read(created.id, liu.auth).expect(200);

    // Reopened: it goes to the enterprise's commissioner now, and the old one still cannot touch it.
    const closed = (await read(created.id)).body;
    const reopened = await act(supervisor.auth, created.id, {
      action: 'reopen',
      note: '企业反映仍缺人',
      version: closed.version,
    }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'in_progress', assignee: { id: liu.user.id } });
    expect(reopened.body.events.at(-1)).toMatchObject({
      action: 'reopen',
      data: { from: zhang.user.id, to: liu.user.id },
    });
    await read(created.id, zhang.auth).expect(404);
    await t
      .http()
      .patch(`/api/v1/problems/${created.id}`)
      .set('Authorization', zhang.auth)
      .send({ title: '被前任修改', version: reopened.body.version })
      .expect(404);
    await act(liu.auth, created.id, {
      action: 'resolve',
      resolution: '再次对接',
      version: reopened.body.version,
    }).expect(200);
  });

  it('leaves a reopened problem with its assignee while they still serve the enterprise', async () => {
    const closed = await problemIn('closed');
    const reopened = await act(supervisor.auth, closed.id, {
      action: 'reopen',
      note: '复查',
      version: closed.version,
    }).expect(200);
    expect(reopened.body.assignee).toMatchObject({ id: zhang.user.id });
  });

  describe('the review queue', () => {
    it('holds in the database that a resolved problem has its resolved_at and a closed one its closed_at', async () => {
      // The queue's cursor pages by resolved_at, the dashboard's closing times read closed_at.
      const resolved = await problemIn('resolved');
      const closed = await problemIn('closed');
      await expect(t.db.query(`UPDATE problems SET resolved_at = NULL WHERE id = $1`, [resolved.id])).rejects.toThrow(
        /problems_resolved_at_check/,
      );
      await expect(t.db.query(`UPDATE problems SET closed_at = NULL WHERE id = $1`, [closed.id])).rejects.toThrow(
        /problems_closed_at_check/,
      );
      const open = await problemIn('open');
      await expect(t.db.query(`UPDATE problems SET status = 'resolved' WHERE id = $1`, [open.id])).rejects.toThrow(
        /problems_resolved_at_check/,
      );
      const rows = await t.db.query(`SELECT status, resolved_at, closed_at FROM problems WHERE id = ANY($1)`, [
        [resolved.id, closed.id, open.id],
      ]);
      expect(rows.filter((r: { status: string }) => r.status === 'open')).toHaveLength(1);
      expect(rows.filter((r: { resolved_at: Date | null }) => r.resolved_at !== null)).toHaveLength(2);
      expect(rows.filter((r: { closed_at: Date | null }) => r.closed_at !== null)).toHaveLength(1);
    });

    it('shows a supervisor the resolved problems of their districts only, longest waiting first', async () => {
      const elsewhere = await createEnterprise(t, admin.auth, { commissionerId: liu.user.id, districtCode: '220105' });
      const first = await problemIn('resolved');
      const second = await problemIn('resolved');
      const theirs = (await report({}, liu.auth, elsewhere.id).expect(201)).body;
      await act(liu.auth, theirs.id, { action: 'resolve', resolution: 'x', version: 1 }).expect(200);

      const queue = await t
        .http()
        .get('/api/v1/problems?status=resolved&pageSize=100')
        .set('Authorization', supervisor.auth)
        .expect(200);
      const ids = queue.body.items.map((p: { id: string }) => p.id);
      expect(ids).not.toContain(theirs.id);
      expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
      expect(queue.body.items.every((p: { status: string }) => p.status === 'resolved')).toBe(true);
      expect(queue.body.items[0]).toMatchObject({
        enterprise: { name: expect.any(String) },
        assignee: { displayName: expect.any(String) },
      });
      const resolvedAt = queue.body.items.map((p: { resolvedAt: string }) => p.resolvedAt);
      expect(resolvedAt).toEqual([...resolvedAt].sort());

      const other = await t
        .http()
        .get('/api/v1/problems?status=resolved')
        .set('Authorization', otherSupervisor.auth)
        .expect(200);
      expect(other.body.items.map((p: { id: string }) => p.id)).toEqual([theirs.id]);
      await act(otherSupervisor.auth, first.id, { action: 'approve', version: first.version }).expect(404);
    });

    it('lists the work still to do with status=open_or_in_progress, on its own and under the enterprise', async () => {
      const other = (await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, districtCode: '220102' }))
        .id;
      const p = {
        open: (await problemIn('open', other)).id,
        inProgress: (await problemIn('in_progress', other)).id,
        resolved: (await problemIn('resolved', other)).id,
        closed: (await problemIn('closed', other)).id,
      };
      const named = async (path: string, auth = supervisor.auth) => {
        const response = await t.http().get(path).set('Authorization', auth).expect(200);
        expect(response.body.total).toBe(response.body.items.length);
        return response.body.items
          .map((item: { id: string }) => Object.keys(p).find((key) => p[key as keyof typeof p] === item.id))
          .sort();
      };
      expect(await named(`/api/v1/problems?enterpriseId=${other}&status=open_or_in_progress`)).toEqual([
        'inProgress',
        'open',
      ]);
      expect(await named(`/api/v1/enterprises/${other}/problems?status=open_or_in_progress`, zhang.auth)).toEqual([
        'inProgress',
        'open',
      ]);
      expect(await named(`/api/v1/problems?enterpriseId=${other}&status=open`)).toEqual(['open']);
      expect(await named(`/api/v1/problems?enterpriseId=${other}&status=all`)).toEqual([
        'closed',
        'inProgress',
        'open',
        'resolved',
      ]);
      await t.http().get('/api/v1/problems?status=open,in_progress').set('Authorization', admin.auth).expect(400);
    });

    it('filters and sorts the list, refusing unknown sorts', async () => {
      const sorted = await t
        .http()
        .get('/api/v1/problems?sort=-priority&pageSize=100')
        .set('Authorization', admin.auth)
        .expect(200);
      const ranks = sorted.body.items.map((p: { priority: string }) =>
        ['low', 'normal', 'high', 'urgent'].indexOf(p.priority),
      );
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      const urgent = await t
        .http()
        .get('/api/v1/problems?priority=urgent&category=recruitment')
        .set('Authorization', admin.auth)
        .expect(200);
      expect(urgent.body.items.every((p: { priority: string }) => p.priority === 'urgent')).toBe(true);
      const byAssignee = await t
        .http()
        .get(`/api/v1/problems?assigneeId=${liu.user.id}&pageSize=100`)
        .set('Authorization', admin.auth);
      expect(byAssignee.body.items.every((p: { assigneeId: string }) => p.assigneeId === liu.user.id)).toBe(true);
      await t.http().get('/api/v1/problems?sort=title').set('Authorization', admin.auth).expect(400);
      await t.http().get('/api/v1/problems?status=done').set('Authorization', admin.auth).expect(400);
    });
  });

  describe('paging by cursor (`after`)', () => {
    beforeAll(async () => {
      for (const status of ['resolved', 'resolved', 'open', 'in_progress'] as const) await problemIn(status);
    });

    it.each([
      ['the default sort', ''],
      ['-priority', 'sort=-priority'],
      ['reportedAt', 'sort=reportedAt'],
      ['-updatedAt', 'sort=-updatedAt'],
      ['the review queue', 'status=resolved'],
    ])('reads the same problems by cursor as by page number (%s)', async (_, query) => {
      await expectCursorPagesMatchOffsetPages(t, admin.auth, '/api/v1/problems', query, 25);
      const under = `/api/v1/enterprises/${enterpriseId}/problems`;
      await expectCursorPagesMatchOffsetPages(t, supervisor.auth, under, query, 15);
    });

    it('refuses a cursor of another sort (the review queue has its own), and a malformed one, with 400', async () => {
      await expectCursorRefusals(t, admin.auth, '/api/v1/problems', 'sort=-priority', 'reportedAt');
      const open = await t.http().get('/api/v1/problems?pageSize=1').set('Authorization', admin.auth).expect(200);
      const queue = await t
        .http()
        .get(`/api/v1/problems?status=resolved&page=2&after=${open.body.nextCursor}`)
        .set('Authorization', admin.auth)
        .expect(400);
      expect(queue.body.detail).toBe('after: this cursor was made for another sort; start from page 1');
    });
  });
});
