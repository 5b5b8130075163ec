import { performance } from 'node:perf_hooks';
import { Enterprise } from '@keydesk/database';
import { generateEnterprises } from '../apps/cli/src/demo/demo-data';
import { generateFieldWork } from '../apps/cli/src/demo/field-work';
import { enterpriseInput } from '../test/factories/enterprises.factory';
import { createUser, TestUser } from '../test/factories/users.factory';
import { createTestApp, TestApp } from '../test/support/test-app';

/**
 * Latency of the API's hot paths on a realistic city: BENCH_ENTERPRISES enterprises (default
 * 5000) with months of visits, demands and problems. Each request runs BENCH_ROUNDS times in
 * sequence through the real HTTP stack against PostgreSQL; p50/p95/max are printed in ms,
 * with the plan of the heaviest list query. Run with `npm run bench`.
 */
const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

describe(`API latency with ${ENTERPRISES} enterprises`, () => {
  let t: TestApp;
  let admin: TestUser;
  let south: TestUser;
  let commissioner: TestUser;
  const results: { name: string; p50: number; p95: number; max: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    south = await createUser(t, 'supervisor', { districtCodes: ['220102', '220104'] });
    const commissioners: TestUser[] = [];
    for (let i = 0; i < 40; i++) commissioners.push(await createUser(t, 'commissioner'));
    commissioner = commissioners[0]!;
    const started = performance.now();
    await t.db.transaction(async (manager) => {
      const enterprises = generateEnterprises(ENTERPRISES, 11);
      for (let i = 0; i < enterprises.length; i += 500) {
        await manager.insert(
          Enterprise,
          enterprises.slice(i, i + 500).map((fields, offset) => ({
            ...fields,
            commissionerId: commissioners[(i + offset) % commissioners.length].user.id,
          })),
        );
      }
      await generateFieldWork(manager, { now: new Date(), seed: 3, supervisorId: admin.user.id });
    });
    await t.db.query('ANALYZE');
    const counts = await t.db.query(
      `SELECT (SELECT count(*) FROM enterprises)::int AS enterprises, (SELECT count(*) FROM visits)::int AS visits,
              (SELECT count(*) FROM demands)::int AS demands, (SELECT count(*) FROM problems)::int AS problems`,
    );
    console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s:`, counts[0]);
  });

  afterAll(async () => {
    console.log(
      [
        `| request (${ENTERPRISES} enterprises, ${ROUNDS} rounds) | p50 ms | p95 ms | max ms |`,
        '|---|---:|---:|---:|',
        ...results.map((r) => `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} |`),
      ].join('\n'),
    );
    await t.close();
  });

  async function measure(name: string, request: () => Promise<{ status: number }>, expected = 200): Promise<void> {
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const response = await request();
      times.push(performance.now() - started);
      expect(response.status).toBe(expected);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    results.push({ name, p50: at(0.5), p95: at(0.95), max: times.at(-1)! });
  }

  const get = (path: string, caller: TestUser) => () =>
    t.http().get(`/api/v1/${path}`).set('Authorization', caller.auth);

  it('reads the ledger', async () => {
    await measure('GET /enterprises (admin, default sort)', get('enterprises', admin));
    await measure(
      'GET /enterprises?sort=-shortage&hasShortage=true',
      get('enterprises?sort=-shortage&hasShortage=true', admin),
    );
    await measure(
      'GET /enterprises?q=汽车 (substring search)',
      get(`enterprises?q=${encodeURIComponent('汽车')}`, admin),
    );
    await measure(
      'GET /enterprises?visitOverdue=true (district supervisor)',
      get('enterprises?visitOverdue=true', south),
    );
    await measure('GET /enterprises (commissioner)', get('enterprises', commissioner));
    const [one] = await t.db.query(`SELECT id FROM enterprises ORDER BY shortage DESC LIMIT 1`);
    await measure('GET /enterprises/:id (with vacancy structure)', get(`enterprises/${one.id}`, admin));
  });

  it('reads the problem and demand lists', async () => {
    await measure('GET /problems?status=resolved (review queue, city)', get('problems?status=resolved', admin));
    await measure('GET /problems?overdue=true (district supervisor)', get('problems?overdue=true', south));
    await measure('GET /problems?sort=-priority (commissioner)', get('problems?sort=-priority', commissioner));
    await measure('GET /demands (open, city)', get('demands', admin));
    await measure('GET /demands/summary?groupBy=district', get('demands/summary?groupBy=district', admin));
    await measure(
      'GET /demands/summary?groupBy=occupationCategory',
      get('demands/summary?groupBy=occupationCategory', south),
    );
  });

  it('computes dashboards', async () => {
    await measure('GET /dashboard (admin)', get('dashboard', admin));
    await measure('GET /dashboard (district supervisor)', get('dashboard', south));
    await measure('GET /dashboard (commissioner)', get('dashboard', commissioner));
  });

  it('writes', async () => {
    const [target] = await t.db.query(`SELECT id FROM enterprises WHERE commissioner_id = $1 LIMIT 1`, [
      commissioner.user.id,
    ]);
    await measure(
      'POST /enterprises/:id/visits (2 demands, 1 problem, headcount)',
      () =>
        t
          .http()
          .post(`/api/v1/enterprises/${target.id}/visits`)
          .set('Authorization', commissioner.auth)
          .send({
            visitedAt: new Date(Date.now() - 3600 * 1000).toISOString(),
            method: 'on_site',
            summary: '基准测试走访',
            employeeCount: 500 + Math.floor(Math.random() * 100),
            demands: [
              { occupation: '焊工', occupationCategory: '6', headcount: 5 },
              { occupation: '电工', occupationCategory: '6', headcount: 2 },
            ],
            problems: [{ title: '招工难', category: 'recruitment' }],
          }),
      201,
    );
    await measure(
      'POST /enterprises',
      () => t.http().post('/api/v1/enterprises').set('Authorization', admin.auth).send(enterpriseInput()),
      201,
    );
  });

  it('shows the plan of the ledger list sorted by shortage', async () => {
    const plan: { 'QUERY PLAN': string }[] = await t.db.query(
      `EXPLAIN ANALYZE SELECT e.id, e.name, e.shortage FROM enterprises e
        WHERE e.status = 'active' AND e.shortage > 0 ORDER BY e.shortage DESC, e.id LIMIT 20`,
    );
    console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
  });
});
