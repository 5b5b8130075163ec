import { addDemand, logVisit, reportProblem } from './factories/field-work.factory';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The rollups behind the dashboard and the demand summaries (the per-day counts too) are kept
 * by triggers in the writing transactions. After every kind of write the API makes — concurrent ones included —
 * they must hold exactly what a recomputation from the rows gives (`rebuild_rollups()`, run in
 * a transaction that is rolled back), and problems and visits must carry their enterprise's
 * district and state.
 */
describe('rollups', () => {
  let t: TestApp;
  let admin: TestUser;
  let zhang: TestUser;
  let liu: TestUser;
  let north: CreatedEnterprise;
  let south: CreatedEnterprise;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    liu = await createUser(t, 'commissioner');
    north = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, districtCode: '220102' });
    south = await createEnterprise(t, admin.auth, {
      commissionerId: liu.user.id,
      districtCode: '220104',
      industryCode: 'G',
    });
  });
  afterAll(() => t.close());

  type Row = Record<string, string | number | boolean>;
  type Query = (sql: string) => Promise<Row[]>;
  const snapshot = async (q: Query = (sql) => t.db.query<Row[]>(sql)): Promise<Record<string, Row[]>> => {
    return {
      workload: await q(`SELECT district_code, person_id, SUM(enterprises)::int AS enterprises,
                                SUM(enterprises_with_shortage)::int AS with_shortage, SUM(shortage)::int AS shortage,
                                SUM(open_problems)::int AS open, SUM(in_progress_problems)::int AS in_progress,
                                SUM(resolved_problems)::int AS resolved
                           FROM workload_rollups GROUP BY 1, 2
                         HAVING SUM(enterprises) <> 0 OR SUM(shortage) <> 0 OR SUM(open_problems) <> 0
                             OR SUM(in_progress_problems) <> 0 OR SUM(resolved_problems) <> 0
                          ORDER BY 1, 2`),
      demands: await q(`SELECT district_code, industry_code, occupation_category, SUM(enterprises)::int AS enterprises,
                               SUM(open_demands)::int AS open_demands, SUM(shortage)::int AS shortage
                          FROM demand_rollups GROUP BY 1, 2, 3
                        HAVING SUM(enterprises) <> 0 OR SUM(open_demands) <> 0 OR SUM(shortage) <> 0
                         ORDER BY 1, 2, 3`),
      days: await q(`SELECT figure, district_code, day, SUM(count)::int AS count FROM day_rollups GROUP BY 1, 2, 3
                     HAVING SUM(count) <> 0 ORDER BY 1, 2, 3`),
      problems: await q(`SELECT district_code, status, SUM(count)::int AS count FROM problem_rollups GROUP BY 1, 2
                         HAVING SUM(count) <> 0 ORDER BY 1, 2`),
      vacancies: await q(`SELECT enterprise_id, occupation_category, district_code, industry_code, enterprise_active,
                                 open_demands, shortage
                            FROM enterprise_vacancies WHERE open_demands <> 0 OR shortage <> 0 ORDER BY 1, 2`),
      strayCopies: await q(`SELECT 'problem' AS kind, p.id FROM problems p JOIN enterprises e ON e.id = p.enterprise_id
                             WHERE p.district_code <> e.district_code OR p.enterprise_active <> (e.status = 'active')
                            UNION ALL
                            SELECT 'visit', v.id FROM visits v JOIN enterprises e ON e.id = v.enterprise_id
                             WHERE v.district_code <> e.district_code OR v.enterprise_active <> (e.status = 'active')`),
    };
  };

  /** What the triggers kept, next to what a recomputation from the rows gives. */
  async function keptAndRecomputed(): Promise<[Record<string, Row[]>, Record<string, Row[]>]> {
    const kept = await snapshot();
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('SELECT rebuild_rollups()');
      return [kept, await snapshot((sql) => runner.query(sql) as Promise<Row[]>)];
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  async function expectConsistent(): Promise<void> {
    const [kept, recomputed] = await keptAndRecomputed();
    expect(kept.strayCopies).toEqual([]);
    expect(kept).toEqual(recomputed);
  }

  const act = (id: string, body: Record<string, unknown>, auth = zhang.auth) =>
    t.http().post(`/api/v1/problems/${id}/transitions`).set('Authorization', auth).send(body).expect(200);

  it('starts out counting the two enterprises', async () => {
    const { workload } = await snapshot();
    expect(workload).toEqual([
      expect.objectContaining({ district_code: '220102', person_id: zhang.user.id, enterprises: 1 }),
      expect.objectContaining({ district_code: '220104', person_id: liu.user.id, enterprises: 1 }),
    ]);
    await expectConsistent();
  });

  it('follows visits with demands and problems logged at the same moment on the same enterprise', async () => {
    await Promise.all(
      ['6', '4', '2', '6', '4', '2'].map((category, n) =>
        logVisit(t, zhang.auth, north.id, {
          demands: [
            { occupation: `工种${n}`, occupationCategory: category, headcount: 3 + n },
            { occupation: '电工', occupationCategory: '6', headcount: 2, filledCount: 1 },
          ],
          problems: [{ title: `问题${n}`, category: 'recruitment', priority: n % 2 ? 'high' : 'normal' }],
        }),
      ),
    );
    await Promise.all([addDemand(t, liu.auth, south.id), reportProblem(t, liu.auth, south.id)]);
    const { demands } = await snapshot();
    expect(demands).toContainEqual({
      district_code: '220102',
      industry_code: 'C',
      occupation_category: '',
      enterprises: 1,
      open_demands: 12,
      shortage: 3 + 4 + 5 + 6 + 7 + 8 + 6, // headcounts 3..8, and six electricians short of one each
    });
    await expectConsistent();
  });

  it('follows demand edits: filling, resizing, recategorising and cancelling', async () => {
    const open = await t.db.query<{ id: string; version: number }[]>(
      `SELECT id, version FROM demands WHERE enterprise_id = $1 AND status = 'open' ORDER BY occupation LIMIT 4`,
      [north.id],
    );
    const patch = (index: number, body: Record<string, unknown>) =>
      t
        .http()
        .patch(`/api/v1/demands/${open[index].id}`)
        .set('Authorization', zhang.auth)
        .send({ ...body, version: open[index].version })
        .expect(200);
    await Promise.all([
      patch(0, { filledCount: 1 }),
      patch(1, { headcount: 20 }),
      patch(2, { occupationCategory: '3' }),
      patch(3, { status: 'cancelled' }),
    ]);
    await expectConsistent();
    // Filled to the last place: no longer open, no longer counted.
    const [first] = await t.db.query<{ headcount: number; version: number }[]>(
      `SELECT headcount, version FROM demands WHERE id = $1`,
      [open[0].id],
    );
    await t
      .http()
      .patch(`/api/v1/demands/${open[0].id}`)
      .set('Authorization', zhang.auth)
      .send({ filledCount: first.headcount, version: first.version })
      .expect(200);
    await expectConsistent();
  });

  it('follows problem transitions, reassignments among them', async () => {
    const problems = await t.db.query<{ id: string; version: number }[]>(
      `SELECT id, version FROM problems WHERE enterprise_id = $1 ORDER BY title`,
      [north.id],
    );
    const [a, b, c, d] = problems;
    await Promise.all([
      act(a.id, { action: 'start', version: a.version }),
      act(b.id, { action: 'resolve', resolution: '已协调', version: b.version }),
      act(c.id, { action: 'reassign', assigneeId: liu.user.id, version: c.version }, admin.auth),
      act(d.id, { action: 'reassign', assigneeId: liu.user.id, version: d.version }, admin.auth),
    ]);
    await expectConsistent();
    await act(b.id, { action: 'approve', version: b.version + 1 }, admin.auth);
    await act(b.id, { action: 'reopen', note: '企业反映未落实', version: b.version + 2 }, admin.auth);
    await expectConsistent();
  });

  it("moves a problem's day when a new priority moves its due date", async () => {
    const problem = await reportProblem(t, zhang.auth, north.id, { priority: 'low' });
    const dayOf = async () =>
      (
        await t.db.query<{ day: number }[]>(`SELECT utc_day(due_at) AS day FROM problems WHERE id = $1`, [problem.id])
      )[0].day;
    const before = await dayOf();
    await t
      .http()
      .patch(`/api/v1/problems/${problem.id}`)
      .set('Authorization', zhang.auth)
      .send({ priority: 'urgent', version: problem.version })
      .expect(200);
    expect(await dayOf()).toBeLessThan(before);
    await expectConsistent();
  });

  it('moves everything along when an enterprise changes district, industry or commissioner', async () => {
    const current = async () =>
      (await t.http().get(`/api/v1/enterprises/${north.id}`).set('Authorization', admin.auth).expect(200)).body as {
        version: number;
      };
    await t
      .http()
      .patch(`/api/v1/enterprises/${north.id}`)
      .set('Authorization', admin.auth)
      .send({ districtCode: '220104', industryCode: 'F', version: (await current()).version })
      .expect(200);
    await expectConsistent();
    await t
      .http()
      .put(`/api/v1/enterprises/${north.id}/commissioner`)
      .set('Authorization', admin.auth)
      .send({ commissionerId: liu.user.id, reason: '调整分工', version: (await current()).version })
      .expect(200);
    const { workload } = await snapshot();
    expect(workload.filter((row) => row.person_id === zhang.user.id && row.enterprises)).toEqual([]);
    await expectConsistent();
  });

  it('leaves archived enterprises out, and counts them again when restored', async () => {
    const before = await snapshot();
    await t.http().post(`/api/v1/enterprises/${north.id}/archive`).set('Authorization', admin.auth).expect(200);
    const archived = await snapshot();
    expect(archived.demands.filter((row) => row.industry_code === 'F')).toEqual([]);
    expect(archived.workload.reduce((sum, row) => sum + Number(row.enterprises), 0)).toBe(1);
    await expectConsistent();
    await t.http().post(`/api/v1/enterprises/${north.id}/restore`).set('Authorization', admin.auth).expect(200);
    expect(await snapshot()).toEqual(before);
    await expectConsistent();
  });

  it('folds the deltas into one row per key without changing a sum', async () => {
    const before = await snapshot();
    await t.db.query('SELECT compact_rollups()');
    const [{ rows, keys }] = await t.db.query<{ rows: number; keys: number }[]>(
      `SELECT COUNT(*)::int AS rows, COUNT(DISTINCT (district_code, person_id))::int AS keys FROM workload_rollups`,
    );
    expect(rows).toBe(keys);
    expect(await snapshot()).toEqual(before);
  });

  it('gives unfiltered ledger lists the total of the rows they list, whoever asks', async () => {
    const northOffice = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    const southOffice = await createUser(t, 'supervisor', { districtCodes: ['220104'] });
    await createEnterprise(t, admin.auth, { districtCode: '220102' }); // nobody's yet
    for (const caller of [admin, northOffice, southOffice]) {
      for (const filter of [
        '',
        `&commissionerId=${liu.user.id}`,
        `&commissionerId=${zhang.user.id}`,
        '&districtCode=220104',
        '&hasShortage=true',
      ]) {
        const { body } = await t
          .http()
          .get(`/api/v1/enterprises?pageSize=100${filter}`)
          .set('Authorization', caller.auth)
          .expect(200);
        expect({ filter, total: body.total }).toEqual({ filter, total: body.items.length });
      }
    }
  });

  it('gives problem lists filtered by status or district alone the total of the rows they list, whoever asks', async () => {
    const northOffice = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    const southOffice = await createUser(t, 'supervisor', { districtCodes: ['220104'] });
    // Rows in both offices' districts, and an archived enterprise's problems, which lists include.
    const west = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id, districtCode: '220102' });
    await reportProblem(t, zhang.auth, west.id, { title: '北区新问题' });
    await reportProblem(t, liu.auth, south.id, { title: '南区新问题' });
    const shelved = await createEnterprise(t, admin.auth, { commissionerId: liu.user.id, districtCode: '220104' });
    await reportProblem(t, liu.auth, shelved.id, { title: '歇业企业的问题' });
    await t.http().post(`/api/v1/enterprises/${shelved.id}/archive`).set('Authorization', admin.auth).expect(200);
    const totals = async (caller: TestUser) => {
      const seen: { filter: string; total: number; listed: number }[] = [];
      for (const filter of [
        '',
        '&status=all',
        '&status=open',
        '&status=open_or_in_progress',
        '&status=closed',
        '&districtCode=220104',
        '&status=open&districtCode=220102',
        // Counted from the rows: the check that both ways agree.
        '&priority=normal',
        '&overdue=false',
      ]) {
        const { body } = await t
          .http()
          .get(`/api/v1/problems?pageSize=100${filter}`)
          .set('Authorization', caller.auth)
          .expect(200);
        seen.push({ filter, total: body.total, listed: body.items.length });
      }
      return seen;
    };
    for (const caller of [admin, northOffice, southOffice]) {
      const seen = await totals(caller);
      expect(seen.map(({ filter, total }) => ({ filter, total }))).toEqual(
        seen.map(({ filter, listed }) => ({ filter, total: listed })),
      );
      expect(seen[0].total).toBeGreaterThan(0); // each office sees rows of its own
    }
  });
});
