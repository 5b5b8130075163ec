import { Clock } from '@keydesk/common';
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

const SORT_FIELDS = [
  'displayName',
  'enterprises',
  'visitsLast30Days',
  'overdueVisits',
  'openProblems',
  'overdueProblems',
] as const;
const SOUTH = ['220102', '220104'];

/** The real clock, or a moment a test sets and that stays put while it asks. */
class SettableClock extends Clock {
  at?: Date;
  now(): Date {
    return this.at ?? new Date();
  }
}

/**
 * The dashboard, its per-commissioner table and the demand summaries on a generated data set of
 * a few hundred enterprises, checked against figures recomputed here from the raw rows (not with
 * the service's SQL), and against the lists they summarise.
 */
describe('dashboard and summaries on a generated data set', () => {
  let t: TestApp;
  let admin: TestUser;
  let city: TestUser;
  let south: TestUser;
  let commissioners: TestUser[];
  /** Two commissioners of one name, and one who works outside the south only: ties and scope. */
  let twins: TestUser[];
  let north: TestUser;
  let northDistrict: string;
  let data: { enterprises: Row[]; visits: Row[]; problems: Row[]; demands: Row[]; users: Row[] };
  /** Each commissioner's place by displayName in the database's collation (namesakes share one). */
  let nameRank: Map<string, number>;
  const now = Date.now();
  const clock = new SettableClock();

  beforeAll(async () => {
    t = await createTestApp({ clock });
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
    // Unassigned enterprises (their visits were logged by a supervisor, their problems have no
    // assignee) given to new commissioners: one enterprise each and little else, so rows tie.
    twins = [
      await createUser(t, 'commissioner', { displayName: '同名专员' }),
      await createUser(t, 'commissioner', { displayName: '同名专员' }),
    ];
    north = await createUser(t, 'commissioner', { displayName: '北区专员' });
    const spare: Row[] = await t.db.query(
      `SELECT id, district_code FROM enterprises WHERE commissioner_id IS NULL AND status = 'active' ORDER BY name`,
    );
    const outside = spare.find((e) => !SOUTH.includes(e.district_code))!;
    const [first, second] = spare.filter((e) => SOUTH.includes(e.district_code));
    northDistrict = outside.district_code;
    for (const [who, enterprise] of [
      [twins[0], first],
      [twins[1], second],
      [north, outside],
    ] as const) {
      await t.db.query(`UPDATE enterprises SET commissioner_id = $1 WHERE id = $2`, [who.user.id, enterprise.id]);
    }
    const all = (sql: string) => t.db.query(sql);
    data = {
      enterprises: await all(`SELECT * FROM enterprises`),
      visits: await all(`SELECT * FROM visits`),
      problems: await all(`SELECT * FROM problems`),
      demands: await all(`SELECT * FROM demands`),
      users: await all(`SELECT id, display_name FROM users WHERE role = 'commissioner'`),
    };
    const ranks: Row[] = await all(
      `SELECT id, dense_rank() OVER (ORDER BY display_name) AS rank FROM users WHERE role = 'commissioner'`,
    );
    nameRank = new Map(ranks.map((r) => [r.id, Number(r.rank)]));
  }, 120_000);
  afterAll(() => t.close());

  const dashboard = async (caller: TestUser) =>
    (await t.http().get('/api/v1/dashboard').set('Authorization', caller.auth).expect(200)).body;
  const table = async (caller: TestUser, query = '') =>
    (await t.http().get(`/api/v1/dashboard/commissioners?${query}`).set('Authorization', caller.auth).expect(200)).body;
  /** The whole table in one page (this data set has fewer than 100 commissioners). */
  const wholeTable = async (caller: TestUser, query = '') => {
    const body = await table(caller, `pageSize=100&${query}`);
    expect(body.items).toHaveLength(body.total);
    return body.items as Row[];
  };
  /** The server's order: the field (numbers, or displayName by the database's collation), then displayName, then id. */
  const sortedBy = (rows: Row[], sort: string) => {
    const field = sort.replace(/^-/, '');
    const sign = sort.startsWith('-') ? -1 : 1;
    const byName = (a: Row, b: Row) => nameRank.get(a.commissionerId)! - nameRank.get(b.commissionerId)!;
    const byId = (a: Row, b: Row) => (a.commissionerId < b.commissionerId ? -1 : 1);
    return [...rows].sort(
      (a, b) => sign * (field === 'displayName' ? byName(a, b) : a[field] - b[field]) || byName(a, b) || byId(a, b),
    );
  };

  /** Who sees an enterprise, written out again from SPEC. */
  const seesEnterprise = (caller: TestUser, e: Row) =>
    caller.user.role === 'admin' ||
    (caller.user.role === 'supervisor' &&
      (caller.user.districtCodes.length === 0 || caller.user.districtCodes.includes(e.district_code))) ||
    (caller.user.role === 'commissioner' && e.commissioner_id === caller.user.id);

  /** What the caller's dashboard and table (optionally of one district) should say, at `now` unless told. */
  function expected(caller: TestUser, districtCode?: string, at = now) {
    const now = at;
    const byId = new Map(data.enterprises.map((e) => [e.id, e]));
    const inDistrict = (e: Row) => !districtCode || e.district_code === districtCode;
    const active = data.enterprises.filter((e) => e.status === 'active' && seesEnterprise(caller, e) && inDistrict(e));
    const activeIds = new Set(active.map((e) => e.id));
    const since = now - 30 * DAY;
    const t0 = (value: Date | null) => (value ? new Date(value).getTime() : null);
    const shortageOf = (id: string) =>
      data.demands
        .filter((d) => d.enterprise_id === id && d.status === 'open')
        .reduce((sum, d) => sum + d.headcount - d.filled_count, 0);
    const within30Days = (at: number) => at >= since && at <= now;
    const visits = data.visits.filter((v) => activeIds.has(v.enterprise_id) && within30Days(t0(v.visited_at)!));
    const problems = data.problems.filter((p) => {
      const e = byId.get(p.enterprise_id)!;
      return (
        e.status === 'active' &&
        inDistrict(e) &&
        (seesEnterprise(caller, e) ||
          (caller.user.role === 'commissioner' && p.assignee_id === caller.user.id && p.status !== 'closed'))
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
      (e) => data.visits.some((v) => v.enterprise_id === e.id) && within30Days(lastVisit(e.id)),
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
      commissioners: data.users
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
        .filter((row) => row.enterprises || row.visitsLast30Days || row.openProblems),
    };
  }

  it('has a data set big enough to mean something', () => {
    expect(data.enterprises.length).toBe(300);
    expect(data.problems.length).toBeGreaterThan(200);
    expect(data.visits.length).toBeGreaterThan(300);
  });

  it.each(['admin', 'city', 'south', 'commissioner'])(
    'agrees with an independent recomputation for %s, figures and table',
    async (who) => {
      const caller = { admin, city, south, commissioner: commissioners[1] }[who]!;
      const { commissioners: rows, ...figures } = expected(caller);
      // The headline figures alone: the table is served apart.
      expect(await dashboard(caller)).toEqual(figures);
      expect(await wholeTable(caller)).toEqual(sortedBy(rows, 'displayName'));
    },
  );

  it("lists a supervisor's districts' commissioners only, and one district on request", async () => {
    const southRows = await wholeTable(south);
    expect(southRows.map((r) => r.commissionerId)).not.toContain(north.user.id);
    expect(southRows.map((r) => r.commissionerId)).toEqual(expect.arrayContaining(twins.map((c) => c.user.id)));
    const cityRows = await wholeTable(admin);
    expect(cityRows.find((r) => r.commissionerId === north.user.id)).toMatchObject({
      displayName: '北区专员',
      enterprises: 1,
      visitsLast30Days: 0,
      openProblems: 0,
    });
    // A district: every figure of that district only; outside the caller's districts, nobody.
    const rows = await wholeTable(admin, `districtCode=${northDistrict}`);
    expect(rows).toEqual(sortedBy(expected(admin, northDistrict).commissioners, 'displayName'));
    expect(rows.map((r) => r.commissionerId)).toContain(north.user.id);
    expect(await wholeTable(south, `districtCode=${SOUTH[0]}`)).toEqual(
      sortedBy(expected(south, SOUTH[0]).commissioners, 'displayName'),
    );
    expect(await table(south, `districtCode=${northDistrict}`)).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });

    await t.http().get('/api/v1/dashboard/commissioners').expect(401);
  });

  it("agrees with each commissioner's own lists", async () => {
    const rows = await wholeTable(south);
    const busiest = sortedBy(rows, '-overdueProblems')[0];
    const id = busiest.commissionerId;
    const total = async (path: string) =>
      (await t.http().get(`/api/v1/${path}&pageSize=1`).set('Authorization', south.auth).expect(200)).body
        .total as number;
    // The problem lists also show archived enterprises' problems; the table leaves them out.
    const onArchived = (p: Row) =>
      p.assignee_id === id &&
      data.enterprises.some(
        (e) => e.id === p.enterprise_id && e.status === 'archived' && SOUTH.includes(e.district_code),
      );
    const archivedWorked = data.problems.filter((p) => onArchived(p) && ['open', 'in_progress'].includes(p.status));
    const archivedOverdue = archivedWorked.filter((p) => new Date(p.due_at).getTime() < Date.now());
    expect(busiest.overdueProblems).toBeGreaterThan(0);
    expect(await total(`enterprises?commissionerId=${id}`)).toBe(busiest.enterprises);
    expect(await total(`enterprises?commissionerId=${id}&visitOverdue=true`)).toBe(busiest.overdueVisits);
    expect(await total(`problems?assigneeId=${id}&status=open_or_in_progress`)).toBe(
      busiest.openProblems + archivedWorked.length,
    );
    expect(await total(`problems?assigneeId=${id}&overdue=true`)).toBe(
      busiest.overdueProblems + archivedOverdue.length,
    );
  });

  it('pages the table: total, page 2, pages that add up to the whole', async () => {
    const whole = await wholeTable(admin, 'sort=-overdueVisits');
    expect(whole.length).toBeGreaterThan(6);
    const pages: Row[] = [];
    for (let page = 1; page <= Math.ceil(whole.length / 3); page++) {
      const body = await table(admin, `sort=-overdueVisits&pageSize=3&page=${page}`);
      expect(body).toMatchObject({ total: whole.length, page, pageSize: 3 });
      pages.push(...body.items);
    }
    expect(pages).toEqual(whole);
    expect((await table(admin, 'pageSize=3&page=2')).items).toEqual((await wholeTable(admin)).slice(3, 6));
    expect(await table(admin, 'pageSize=3&page=99')).toMatchObject({ items: [], total: whole.length, page: 99 });
  });

  it.each(SORT_FIELDS)('sorts by %s both ways, ties by displayName and then id', async (field) => {
    const rows = expected(admin).commissioners;
    for (const sort of [field, `-${field}`]) {
      expect(await wholeTable(admin, `sort=${sort}`)).toEqual(sortedBy(rows, sort));
    }
  });

  it('breaks a tie by displayName, then by id, whichever way the sort goes', async () => {
    // The namesakes have one enterprise each and no visits: tied on both, and on their name.
    const twinIds = twins.map((c) => c.user.id).sort();
    for (const sort of ['displayName', '-displayName', 'visitsLast30Days', '-enterprises']) {
      const ids = (await wholeTable(admin, `sort=${sort}`)).map((r) => r.commissionerId);
      expect(ids.indexOf(twinIds[1]) - ids.indexOf(twinIds[0])).toBe(1);
    }
  });

  it('refuses an unknown sort or a bad page with 400', async () => {
    for (const query of [
      'sort=name',
      'sort=commissionerId',
      'sort=--enterprises',
      'sort=enterprises,displayName',
      'pageSize=101',
      'page=0',
      'districtCode=south',
      'groupBy=district',
      // No cursor: the table pages by number only.
      'after=abc',
    ]) {
      const response = await t
        .http()
        .get(`/api/v1/dashboard/commissioners?${query}`)
        .set('Authorization', admin.auth)
        .expect(400);
      expect(response.body.status).toBe(400);
    }
  });

  it('counts alike at any hour: whole days from the rollups, the partial days at either end from the rows', async () => {
    const HOUR = 3600 * 1000;
    const visitedBetween = (from: number, to: number) =>
      data.visits.filter((v) => +new Date(v.visited_at) >= from && +new Date(v.visited_at) <= to).length;
    const dayStart = (at: number) => Math.floor(at / DAY) * DAY;
    // A moment whose two partial days both hold visits, so that a slip at either end would show;
    // found in the data, whatever the hour the data was generated at.
    const bothPartialsHold = (at: number) =>
      visitedBetween(dayStart(at), at) > 0 && visitedBetween(at - 30 * DAY, dayStart(at - 30 * DAY) + DAY - 1) > 0;
    const midDay = Array.from({ length: 20 * 24 }, (_, i) => dayStart(now) - 3 * DAY + 23 * HOUR - i * HOUR).find(
      bothPartialsHold,
    );
    expect(midDay).toBeDefined();
    // That moment, its day's midnight UTC exactly, its day's last millisecond, and three weeks earlier.
    const moments = [midDay!, dayStart(midDay!), dayStart(midDay!) + DAY - 1, midDay! - 21 * DAY];
    try {
      for (const at of moments) {
        clock.at = new Date(at);
        for (const caller of [admin, south]) {
          const { commissioners: _rows, ...figures } = expected(caller, undefined, at);
          expect({ at: clock.at, figures: await dashboard(caller) }).toEqual({ at: clock.at, figures });
        }
      }
    } finally {
      clock.at = undefined;
    }
  });

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
