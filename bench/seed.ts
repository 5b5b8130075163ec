import { performance } from 'node:perf_hooks';
import { Pool, PoolClient } from 'pg';
import { ensureDatabase, runMigrations } from '@keydesk/database';
import { dueRemindersSql, hashPassword, ReminderOffsetsView } from '@keydesk/domain';
import { DISTRICTS, generateEnterprises, mobilePhone, personName, seededRandom } from '../apps/cli/src/demo/demo-data';
import { BENCH_DATABASE_URL, BENCH_PASSWORD } from './env';

/**
 * A city for the benchmarks, reproducibly: per 100 000 enterprises about 2 000 commissioners,
 * 20 supervisors, 1 000 000 visits, 200 000 demands and 300 000 problems (about 10 % overdue,
 * every state present). Users and enterprises come from the demo generator (valid credit codes,
 * Changchun districts and industries); field work is generated inside PostgreSQL with a fixed
 * seed. Secondary indexes are dropped for the load and rebuilt after it, derived ledger values
 * and the rollups are computed at the end, and every reminder already owed is recorded as sent,
 * as it would be on a system that has been running.
 */
export async function seedBench(enterprises: number): Promise<void> {
  const started = performance.now();
  const step = async (name: string, work: () => Promise<unknown>) => {
    const at = performance.now();
    await work();
    console.log(`  ${name}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  };
  // A fresh database each time: the schema (and its indexes) exactly as the migrations make it.
  await step('database created and migrated', async () => {
    await dropDatabase(BENCH_DATABASE_URL);
    await ensureDatabase(BENCH_DATABASE_URL);
    await runMigrations(BENCH_DATABASE_URL);
  });
  const pool = new Pool({ connectionString: BENCH_DATABASE_URL, max: 2 });
  const db = await pool.connect();
  try {
    const commissioners = Math.max(10, Math.round(enterprises / 50));
    const supervisors = Math.max(2, Math.round(enterprises / 5000));
    console.log(`seeding ${enterprises} enterprises, ${commissioners} commissioners, ${supervisors} supervisors`);
    const indexes = await dropSecondaryIndexes(db);
    // The generator only writes valid references, so the load skips foreign-key triggers (superuser only).
    await db.query(`SET session_replication_role = replica`);
    await step('users', () => insertUsers(db, commissioners, supervisors));
    await step('enterprises', () => insertEnterprises(db, enterprises, commissioners));
    await step('visits', () => db.query(VISITS_SQL));
    await step('demands', () => db.query(DEMANDS_SQL));
    await step('problems', () => db.query(PROBLEMS_SQL));
    await step('problem timelines', () =>
      db.query(`INSERT INTO problem_events (problem_id, type, to_status, actor_id, at)
                SELECT id, 'created', 'open', created_by_id, reported_at FROM problems`),
    );
    await step('derived ledger values', () => db.query(DERIVED_SQL));
    await db.query(`SET session_replication_role = DEFAULT`);
    await step('indexes', async () => {
      for (const definition of indexes) await db.query(definition);
    });
    // The triggers were off for the load: the rollups are computed from the rows in one pass.
    await step('rollups', () => db.query('SELECT rebuild_rollups()'));
    await step('reminders already owed, marked sent', () => markOwedRemindersSent(db));
    // As autovacuum would have on a running system: visibility map and statistics.
    await step('vacuum analyze', () => db.query('VACUUM ANALYZE'));
    const [counts] = (
      await db.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM enterprises)::int AS enterprises,
                             (SELECT count(*) FROM visits)::int AS visits, (SELECT count(*) FROM demands)::int AS demands,
                             (SELECT count(*) FROM problems)::int AS problems,
                             (SELECT count(*) FROM problems WHERE status IN ('open', 'in_progress') AND due_at < now())::int AS overdue,
                             (SELECT count(*) FROM notifications)::int AS notifications`)
    ).rows;
    console.log(counts);
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    db.release();
    await pool.end();
  }
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new Pool({ connectionString: maintenance.toString(), max: 1 });
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Plain indexes of the big tables (not those behind constraints), dropped for the load; returns how to rebuild them. */
async function dropSecondaryIndexes(db: PoolClient): Promise<string[]> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes i
      WHERE schemaname = 'public' AND tablename IN ('enterprises', 'visits', 'demands', 'problems', 'problem_events', 'notifications')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const { name } of rows) await db.query(`DROP INDEX "${name}"`);
  return rows.map((row) => row.definition);
}

async function insertUsers(db: PoolClient, commissioners: number, supervisors: number): Promise<void> {
  const random = seededRandom(7);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const users: { username: string; role: string; districts: string[] }[] = [
    { username: 'bench.admin', role: 'admin', districts: [] },
  ];
  for (let i = 0; i < supervisors; i++) {
    // The first sees the whole city; the others one district each.
    users.push({ username: `bench.sup.${i}`, role: 'supervisor', districts: i === 0 ? [] : [districtOf(i - 1)] });
  }
  for (let i = 0; i < commissioners; i++) {
    users.push({ username: `bench.comm.${i}`, role: 'commissioner', districts: [] });
  }
  await db.query(
    `INSERT INTO users (username, display_name, role, district_codes, phone, password_hash, credentials_changed_at)
     SELECT u.username, u.display_name, u.role, COALESCE(string_to_array(u.districts, ','), '{}')::text[], u.phone, $6, now() - interval '1 day'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(username, display_name, role, districts, phone)`,
    [
      users.map((u) => u.username),
      users.map(() => personName(random)),
      users.map((u) => u.role),
      users.map((u) => (u.districts.length ? u.districts.join(',') : null)),
      users.map(() => mobilePhone(random)),
      passwordHash,
    ],
  );
}

const districtOf = (n: number) => DISTRICTS[n % DISTRICTS.length].code;

/** Commissioner n works in district n mod 15, so each one's enterprises lie in one district. */
async function insertEnterprises(db: PoolClient, count: number, commissioners: number): Promise<void> {
  const { rows } = await db.query<{ id: string; username: string }>(
    `SELECT id, username FROM users WHERE role = 'commissioner'`,
  );
  const byNumber = new Map(rows.map((row) => [Number(row.username.split('.').at(-1)), row.id]));
  const byDistrict = new Map<string, string[]>();
  for (let n = 0; n < commissioners; n++) {
    const district = districtOf(n);
    const staff = byDistrict.get(district);
    if (staff) staff.push(byNumber.get(n)!);
    else byDistrict.set(district, [byNumber.get(n)!]);
  }
  const generated = generateEnterprises(count, 100, { numberRepeatedNames: true });
  const random = seededRandom(11);
  for (let i = 0; i < generated.length; i += 10000) {
    const batch = generated.slice(i, i + 10000);
    const column = <K extends keyof (typeof batch)[number]>(key: K) => batch.map((e) => e[key]);
    await db.query(
      `INSERT INTO enterprises (name, credit_code, industry_code, district_code, address, tier, employee_count,
                                contact_name, contact_phone, commissioner_id, created_at, updated_at)
       SELECT *, now() - interval '400 days', now() - interval '400 days'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                     $8::text[], $9::text[], $10::uuid[])`,
      [
        column('name'),
        column('creditCode'),
        column('industryCode'),
        column('districtCode'),
        column('address'),
        column('tier'),
        column('employeeCount'),
        column('contactName'),
        column('contactPhone'),
        batch.map((e) => {
          const pool = byDistrict.get(e.districtCode) ?? [...byDistrict.values()][0];
          return pool[Math.floor(random() * pool.length)];
        }),
      ],
    );
  }
}

/** Ten visits per enterprise over the last 18 months, by its commissioner. */
const VISITS_SQL = `
  SELECT setseed(0.11);
  INSERT INTO visits (enterprise_id, district_code, enterprise_active, commissioner_id, visited_at, method, summary,
                      created_at)
  SELECT t.id, t.district_code, true, t.commissioner_id, t.at, (ARRAY['on_site', 'on_site', 'phone', 'online'])[1 + t.method],
         '走访了解企业用工需求与稳岗情况', t.at
    FROM (SELECT e.id, e.district_code, e.commissioner_id, now() - random() * 540 * interval '1 day' AS at,
                 floor(random() * 4)::int AS method
            FROM enterprises e CROSS JOIN generate_series(1, 10)) t`;

/** Two demands per enterprise: 60 % open, 25 % filled, 15 % cancelled, updated in the last 90 days. */
const DEMANDS_SQL = `
  SELECT setseed(0.22);
  INSERT INTO demands (enterprise_id, occupation, occupation_category, headcount, filled_count, urgency, status,
                       created_by_id, created_at, updated_at)
  SELECT r.id, (ARRAY['数控车工', '焊工', '电工', '装配工', '质检员', '仓储物流员', '软件工程师', '销售代表'])[1 + r.occupation],
         (ARRAY['6', '6', '6', '6', '6', '4', '2', '4'])[1 + r.occupation], r.headcount,
         CASE WHEN r.state < 0.6 THEN floor(r.fill * r.headcount)::int WHEN r.state < 0.85 THEN r.headcount
              ELSE floor(r.fill * r.headcount)::int END,
         (ARRAY['normal', 'normal', 'high', 'urgent'])[1 + floor(r.urgency * 4)::int],
         CASE WHEN r.state < 0.6 THEN 'open' WHEN r.state < 0.85 THEN 'filled' ELSE 'cancelled' END,
         r.commissioner_id, r.updated - interval '30 days', r.updated
    FROM (SELECT e.id, e.commissioner_id, random() AS state, random() AS fill, random() AS urgency,
                 1 + floor(random() * 30)::int AS headcount, now() - random() * interval '90 days' AS updated,
                 floor(random() * 8)::int AS occupation
            FROM enterprises e CROSS JOIN generate_series(1, 2)) r`;

/**
 * Three problems per enterprise: 20 % open, 20 % in progress, 15 % resolved, 45 % closed; a
 * quarter of the unfinished ones are past their due date (about 10 % of all).
 */
const PROBLEMS_SQL = `
  SELECT setseed(0.33);
  WITH drawn AS (
    SELECT e.id AS enterprise_id, e.district_code, e.commissioner_id, random() AS state, random() AS late, random() AS age,
           random() AS took, floor(random() * 7)::int AS topic, random() AS urgency
      FROM enterprises e CROSS JOIN generate_series(1, 3) AS g),
  shaped AS (
    SELECT d.*, CASE WHEN d.state < 0.2 THEN 'open' WHEN d.state < 0.4 THEN 'in_progress'
                     WHEN d.state < 0.55 THEN 'resolved' ELSE 'closed' END AS status,
           CASE WHEN d.urgency < 0.1 THEN 'urgent' WHEN d.urgency < 0.35 THEN 'high'
                WHEN d.urgency < 0.85 THEN 'normal' ELSE 'low' END AS priority
      FROM drawn d),
  dated AS (
    SELECT s.*, sla.days,
           CASE WHEN s.status IN ('open', 'in_progress') AND s.late < 0.25
                  THEN now() - (sla.days + 1 + s.age * 40) * interval '1 day'
                WHEN s.status IN ('open', 'in_progress') THEN now() - s.age * sla.days * interval '1 day'
                ELSE now() - (sla.days + 5 + s.age * 300) * interval '1 day' END AS reported_at
      FROM shaped s CROSS JOIN LATERAL (SELECT (CASE s.priority WHEN 'urgent' THEN 1 WHEN 'high' THEN 3
                                                  WHEN 'normal' THEN 7 ELSE 15 END) AS days) sla)
  INSERT INTO problems (enterprise_id, district_code, enterprise_active, title, description, category, priority, assignee_id, reported_at, due_at, status,
                        resolution, resolved_at, closed_at, created_by_id, created_at, updated_at)
  SELECT d.enterprise_id, d.district_code, true,
         (ARRAY['技术工人招聘缺口大', '稳岗补贴申领', '社保缴费基数核定', '劳动合同纠纷调解', '职业技能培训需求', '工资支付监管咨询', '用工备案咨询'])[1 + d.topic],
         '企业反映的问题，需协调相关部门处理',
         (ARRAY['recruitment', 'policy_subsidy', 'social_insurance', 'labor_relations', 'training', 'wage_arrears', 'other'])[1 + d.topic],
         d.priority, d.commissioner_id, d.reported_at, d.reported_at + d.days * interval '1 day', d.status,
         CASE WHEN d.status IN ('resolved', 'closed') THEN '已协调解决' END,
         CASE WHEN d.status IN ('resolved', 'closed') THEN d.reported_at + d.took * d.days * interval '1 day' END,
         CASE WHEN d.status = 'closed' THEN d.reported_at + (d.took * d.days + 2) * interval '1 day' END,
         d.commissioner_id, d.reported_at, d.reported_at
    FROM dated d`;

/** shortage, lastVisitAt and nextVisitDueAt, as the writes keep them. */
const DERIVED_SQL = `
  UPDATE enterprises e SET shortage = COALESCE(x.shortage, 0), last_visit_at = x.last,
         next_visit_due_at = x.last + (COALESCE(e.visit_cadence_days, (s.visit_cadence_days ->> e.tier)::int) * interval '1 day')
    FROM (SELECT en.id, v.last, d.shortage FROM enterprises en
            LEFT JOIN (SELECT enterprise_id, max(visited_at) AS last FROM visits GROUP BY 1) v ON v.enterprise_id = en.id
            LEFT JOIN (SELECT enterprise_id, sum(headcount - filled_count)::int AS shortage
                         FROM demands WHERE status = 'open' GROUP BY 1) d ON d.enterprise_id = en.id) x,
         settings s
   WHERE x.id = e.id AND s.id = 1`;

/** A running system has sent what was owed before today: record it, with the escalation levels that follow. */
async function markOwedRemindersSent(db: PoolClient): Promise<void> {
  const { rows } = await db.query<{ offsets: ReminderOffsetsView }>(
    `SELECT reminder_offsets AS offsets FROM settings WHERE id = 1`,
  );
  await db.query(
    `INSERT INTO notifications (recipient_id, kind, subject_type, subject_id, due_moment, title, body, created_at, read_at)
     SELECT "recipientId", kind, "subjectType", "subjectId", "dueMoment", kind, '', now(), now()
       FROM (${dueRemindersSql(rows[0].offsets, true)}) due`,
    [new Date()],
  );
  await db.query(`UPDATE problems p SET escalation_level = CASE WHEN n.escalated THEN 2 ELSE 1 END
                    FROM (SELECT subject_id, bool_or(kind = 'problem_escalated') AS escalated FROM notifications
                           WHERE kind IN ('problem_overdue', 'problem_escalated') GROUP BY 1) n
                   WHERE n.subject_id = p.id`);
}
