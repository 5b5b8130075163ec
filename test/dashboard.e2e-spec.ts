import { Enterprise } from '@keydesk/database';
import { generateEnterprises } from '../apps/cli/src/demo/demo-data';
import { generateFieldWork } from '../apps/cli/src/demo/field-work';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600 * 1000;

// Raw rows straight from the tables, compared field by field.
interface Row {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/**
 * The dashboard and the demand summaries on a generated data set of a few hundred
 * enterprises, checked against figures recomputed here from the raw rows (not with the
 * service's SQL), and against the lists they summarise.
 */
describe('dashboard and summaries on a generated data set', () => {
  let t: TestApp;
  let admin: TestUser;
  let city: TestUser;
  let south: TestUser;
  let commissioners: TestUser[];
  let data: { enterprises: Row[]; visits: Row[]; problems: Row[]; demands: Row[]; users: Row[] };
  const now = Date.now();

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    city = await createUser(t, 'supervisor');
    south = await createUser(t, 'supervisor', { districtCodes: ['220102', '220104'] });
    commissioners = [];
    for (let i = 0; i < 6; i++) commissioners.push(await createUser(t, 'commissioner', { displayName: `专员${i}` }));
    const generated = generateEnterprises(300, 99);
    await t.db.transaction(async (manager) => {
      for (const [index, fields] of generated.entries()) {
        await manager.insert(Enterprise, {
          ...fields,
          commissionerId: index % 11 === 0 ? null : commissioners[index % commissioners.length].user.id,
          // A few archived ones, which aggregates must leave out.
          status: index % 23 === 0 ? 'archived' : 'active',
        });
      }
      await generateFieldWork(manager, { now: new Date(now), seed: 7, supervisorId: city.user.id });
    });
    const all = (sql: string) => t.db.query(sql);
    data = {
      enterprises: await all(`SELECT * FROM enterprises`),
      visits: await all(`SELECT * FROM visits`),
      problems: await all(`SELECT * FROM problems`),
      demands: await all(`SELECT * FROM demands`),
      users: await all(`SELECT id, display_name FROM users WHERE role = 'commissioner'`),
    };
  }, 120_000);
  afterAll(() => t.close());

  const dashboard = async (caller: TestUser) =>
    (await t.http().get('/api/v1/dashboard').set('Authorization', caller.auth).expect(200)).body;

  /** Who sees an enterprise, written out again from SPEC. */
  const seesEnterprise = (caller: TestUser, e: Row) =>
    caller.user.role === 'admin' ||
    (caller.user.role === 'supervisor' &&
      (caller.user.districtCodes.length === 0 || caller.user.districtCodes.includes(e.district_code))) ||
    (caller.user.role === 'commissioner' && e.commissioner_id === caller.user.id);

  function expected(caller: TestUser) {
    const byId = new Map(data.enterprises.map((e) => [e.id, e]));
    const active = data.enterprises.filter((e) => e.status === 'active' && seesEnterprise(caller, e));
    const activeIds = new Set(active.map((e) => e.id));
    const since = now - 30 * DAY;
    const t0 = (value: Date | null) => (value ? new Date(value).getTime() : null);
    const shortageOf = (id: string) =>
      data.demands
        .filter((d) => d.enterprise_id === id && d.status === 'open')
        .reduce((sum, d) => sum + d.headcount - d.filled_count, 0);
    const visits = data.visits.filter((v) => activeIds.has(v.enterprise_id) && t0(v.visited_at)! >= since);
    const problems = data.problems.filter((p) => {
      const e = byId.get(p.enterprise_id)!;
      return (
        e.status === 'active' &&
        (seesEnterprise(caller, e) || (caller.user.role === 'commissioner' && p.assignee_id === caller.user.id))
      );
    });
    const overdue = (p: Row) => ['open', 'in_progress'].includes(p.status) && t0(p.due_at)! < now;
    const closedRecently = problems.filter((p) => p.status === 'closed' && t0(p.closed_at)! >= since);
    const durations = closedRecently.map((p) => (t0(p.closed_at)! - t0(p.reported_at)!) / DAY).sort((a, b) => a - b);
    const median =
      durations.length === 0
        ? null
        : durations.length % 2
          ? durations[(durations.length - 1) / 2]
          : (durations[durations.length / 2 - 1] + durations[durations.length / 2]) / 2;
    const lastVisit = (id: string) =>
      Math.max(...data.visits.filter((v) => v.enterprise_id === id).map((v) => t0(v.visited_at)!));
    const visitedRecently = active.filter(
      (e) => data.visits.some((v) => v.enterprise_id === e.id) && lastVisit(e.id) >= since,
    );
    return {
      enterprises: active.length,
      enterprisesWithShortage: active.filter((e) => shortageOf(e.id) > 0).length,
      totalShortage: active.reduce((sum, e) => sum + shortageOf(e.id), 0),
      visits: {
        last30Days: visits.length,
        coverage30Days: active.length ? Math.round((visitedRecently.length / active.length) * 1000) / 1000 : 0,
        overdue: active.filter((e) => e.next_visit_due_at && t0(e.next_visit_due_at)! < now).length,
      },
      problems: {
        open: problems.filter((p) => ['open', 'in_progress'].includes(p.status)).length,
        notStarted: problems.filter((p) => p.status === 'open').length,
        inProgress: problems.filter((p) => p.status === 'in_progress').length,
        awaitingReview: problems.filter((p) => p.status === 'resolved').length,
        overdue: problems.filter(overdue).length,
        closedLast30Days: closedRecently.length,
        medianDaysToClose: median === null ? null : Math.round(median * 10) / 10,
      },
      byCommissioner: data.users
        .map((u) => {
          const mine = active.filter((e) => e.commissioner_id === u.id);
          const assigned = problems.filter((p) => p.assignee_id === u.id && ['open', 'in_progress'].includes(p.status));
          return {
            commissionerId: u.id,
            displayName: u.display_name,
            enterprises: mine.length,
            visitsLast30Days: visits.filter((v) => v.commissioner_id === u.id).length,
            overdueVisits: mine.filter((e) => e.next_visit_due_at && t0(e.next_visit_due_at)! < now).length,
            openProblems: assigned.length,
            overdueProblems: assigned.filter(overdue).length,
          };
        })
        .filter((row) => row.enterprises || row.visitsLast30Days || row.openProblems)
        .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.commissionerId.localeCompare(b.commissionerId)),
    };
  }

  it('has a data set big enough to mean something', () => {
    expect(data.enterprises.length).toBe(300);
    expect(data.problems.length).toBeGreaterThan(200);
    expect(data.visits.length).toBeGreaterThan(300);
  });

  it.each(['admin', 'city', 'south', 'commissioner'])(
    'agrees with an independent recomputation for %s',
    async (who) => {
      const caller = { admin, city, south, commissioner: commissioners[1] }[who]!;
      const actual = await dashboard(caller);
      const wanted = expected(caller);
      expect({ ...actual, byCommissioner: undefined }).toEqual({ ...wanted, byCommissioner: undefined });
      expect([...actual.byCommissioner].sort((a: Row, b: Row) => a.displayName.localeCompare(b.displayName))).toEqual(
        wanted.byCommissioner,
      );
    },
  );

  it('agrees with the lists it summarises', async () => {
    const d = await dashboard(south);
    const total = async (path: string) =>
      (await t.http().get(`/api/v1/${path}`).set('Authorization', south.auth).expect(200)).body.total as number;
    expect(await total('enterprises?pageSize=1')).toBe(d.enterprises);
    expect(await total('enterprises?pageSize=1&hasShortage=true')).toBe(d.enterprisesWithShortage);
    expect(await total('enterprises?pageSize=1&visitOverdue=true')).toBe(d.visits.overdue);
    // The problem lists also show archived enterprises' problems; the dashboard leaves them out.
    const archived = data.enterprises.filter(
      (e) => e.status === 'archived' && ['220102', '220104'].includes(e.district_code),
    );
    const onArchived = (status: string) =>
      data.problems.filter((p) => p.status === status && archived.some((e) => e.id === p.enterprise_id)).length;
    expect(await total('problems?pageSize=1&status=open')).toBe(d.problems.notStarted + onArchived('open'));
    expect(await total('problems?pageSize=1&status=in_progress')).toBe(
      d.problems.open - d.problems.notStarted + onArchived('in_progress'),
    );
    expect(await total('problems?pageSize=1&status=resolved')).toBe(d.problems.awaitingReview + onArchived('resolved'));
  });

  it("sums the demand summaries to the enterprises' shortage, for every grouping and scope", async () => {
    for (const caller of [admin, south, commissioners[2]]) {
      const d = await dashboard(caller);
      for (const groupBy of ['district', 'industry', 'occupationCategory']) {
        const summary = (
          await t.http().get(`/api/v1/demands/summary?groupBy=${groupBy}`).set('Authorization', caller.auth).expect(200)
        ).body;
        expect(summary.totals.shortage).toBe(d.totalShortage);
        expect(summary.items.reduce((sum: number, item: Row) => sum + item.shortage, 0)).toBe(d.totalShortage);
        if (groupBy !== 'occupationCategory') {
          expect(summary.totals.enterprises).toBe(d.enterprisesWithShortage);
          expect(summary.items.reduce((sum: number, item: Row) => sum + item.enterprises, 0)).toBe(
            d.enterprisesWithShortage,
          );
        }
        const openList = await t.http().get('/api/v1/demands?pageSize=1').set('Authorization', caller.auth).expect(200);
        const archivedOpen = data.demands.filter(
          (dm) =>
            dm.status === 'open' &&
            data.enterprises.some(
              (e) => e.id === dm.enterprise_id && e.status === 'archived' && seesEnterprise(caller, e),
            ),
        ).length;
        expect(openList.body.total).toBe(summary.totals.openDemands + archivedOpen);
      }
    }
  });
});
