import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { runMigrations } from '@keydesk/database';
import { BENCH_DATABASE_URL, BENCH_JWT_SECRET, BENCH_PASSWORD, BENCH_QUEUE_PREFIX, BENCH_REDIS_URL } from './env';
import { drive, LoadRequest, LoadResult, LoadSpec } from './load';
import { httpReady, PRODUCTION_NODE_FLAGS, ROOT, startProcess } from './processes';
import { benchReminders, ReminderResults } from './reminders';
import { benchFiles, FileResults } from './spreadsheets';

export interface RunOptions {
  duration: number;
  connections: number;
  warmup: number;
  skipReminders?: boolean;
  skipFiles?: boolean;
  /** Only scenarios whose name contains this. */
  only?: string;
}

interface ScenarioResult extends LoadResult {
  name: string;
  reference?: LoadResult;
  ratio?: number;
}

const API_PORT = 3180;
const REFERENCE_PORT = 3181;

/**
 * `npm run bench`: the production build of the API against the bench database, driven by
 * autocannon over loopback, each scenario after a warm-up; beside it the bare reference
 * (node:http + pg, the same JWT check and SQL) for the scenarios it implements, in the same
 * run at the same concurrency. Then the reminder worker under a burst and a steady rate.
 */
export async function runBench(options: RunOptions): Promise<void> {
  // A city seeded before the latest migrations gets them, as a deployment would.
  await runMigrations(BENCH_DATABASE_URL);
  const pool = new Pool({ connectionString: BENCH_DATABASE_URL, max: 2 });
  const size = await dataSize(pool);
  if (size.enterprises === 0) throw new Error('the bench database is empty: run npm run bench:seed first');
  console.log(`data: ${JSON.stringify(size)}; ${options.connections} connections, ${options.duration} s per scenario`);
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: BENCH_DATABASE_URL,
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: BENCH_QUEUE_PREFIX,
    JWT_SECRET: BENCH_JWT_SECRET,
  };
  const api = await startProcess('dist/apps/api/src/main.js', { ...env, PORT: String(API_PORT) }, () =>
    httpReady(`http://127.0.0.1:${API_PORT}/api/v1/health`),
  );
  const reference = await startProcess('dist/bench/reference/server.js', { ...env, PORT: String(REFERENCE_PORT) }, () =>
    httpReady(`http://127.0.0.1:${REFERENCE_PORT}/health`),
  );
  const results: ScenarioResult[] = [];
  let reminders: ReminderResults | undefined;
  let files: FileResults | undefined;
  let apiPeakRss: number;
  try {
    const fixtures = await loadFixtures(pool, API_PORT);
    for (const scenario of scenarios(fixtures, size.enterprises).filter((s) => s.name.includes(options.only ?? ''))) {
      const keydesk = await measure(pool, `http://127.0.0.1:${API_PORT}/api/v1`, scenario.spec, options);
      const result: ScenarioResult = { name: scenario.name, ...keydesk };
      if (scenario.reference) {
        result.reference = await measure(pool, `http://127.0.0.1:${REFERENCE_PORT}`, scenario.reference, options);
        result.ratio = keydesk.rps / result.reference.rps;
      }
      results.push(result);
      console.log(line(result), JSON.stringify(result.statuses));
    }
    apiPeakRss = api.peakRssMb();
    if (!options.skipReminders) {
      await settle(pool);
      reminders = await benchReminders(pool, env, size.enterprises >= 50000 ? 100000 : 20000);
    }
    // Last: the import's own reminder sweep must not land in the reminder phase's measurement.
    if (!options.skipFiles && 'files'.includes(options.only ?? '')) {
      await settle(pool);
      files = await benchFiles(pool, env, 100000);
    }
  } finally {
    await reference.stop();
    await api.stop();
    await pool.end();
  }
  report(size, options, results, apiPeakRss, reminders, files);
}

async function measure(pool: Pool, base: string, spec: LoadSpec, options: RunOptions): Promise<LoadResult> {
  await settle(pool);
  if (options.warmup > 0) await drive(base, spec, options.connections, options.warmup);
  return drive(base, spec, options.connections, options.duration);
}

/**
 * Each scenario starts on a database as a running system keeps it: quiet, its rollups folded
 * (the worker's job every minute; the worker only runs in the reminder phase here), vacuumed
 * and checkpointed. Where the server runs without autovacuum (some CI set-ups turn it off), the dead rows
 * and cleared visibility bits left by earlier scenarios would turn index-only counts into heap
 * reads, so the bench does autovacuum's job itself first.
 */
async function settle(pool: Pool): Promise<void> {
  await databaseQuiet(pool);
  await pool.query('SELECT compact_rollups()');
  const { rows } = await pool.query<{ autovacuum: string }>(`SELECT current_setting('autovacuum') AS autovacuum`);
  if (rows[0].autovacuum === 'off') await pool.query('VACUUM (ANALYZE)');
  // The previous scenario's writes are flushed now rather than by a checkpoint in the middle of the
  // next one (on this disk one stalls every commit for seconds). Needs a superuser; skipped otherwise.
  await pool.query('CHECKPOINT').catch(() => undefined);
}

/**
 * Requests that autocannon gave up on may still be running in PostgreSQL, and the writes leave
 * autovacuum work behind: each scenario (and the reminder phase) starts once the previous one's
 * queries have finished (or hit their statement timeout) and autovacuum is done with the database.
 */
async function databaseQuiet(pool: Pool): Promise<void> {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ busy: number }>(
      `SELECT count(*)::int AS busy FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND (state = 'active' OR backend_type = 'autovacuum worker')`,
    );
    if (rows[0].busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Fixtures {
  commissioner: string;
  commissionerEnterprises: string[];
  supervisor: string;
  supervisorEnterprises: string[];
  conflictProblems: string[];
  assignees: string[];
  /** The cursor the page before the deep ledger page hands out (its `nextCursor`). */
  deepCursor: string;
}

async function login(port: number, username: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login of ${username} answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Realistic callers: the busiest commissioner, the city-wide supervisor, with ids in their scope. */
async function loadFixtures(pool: Pool, port: number): Promise<Fixtures & { tokens: Record<string, string> }> {
  const { rows: busiest } = await pool.query<{ username: string; id: string }>(
    `SELECT u.username, u.id FROM users u JOIN enterprises e ON e.commissioner_id = u.id
      WHERE u.role = 'commissioner' GROUP BY u.id ORDER BY count(*) DESC, u.username LIMIT 1`,
  );
  const commissioner = busiest[0];
  const ids = async (sql: string, params: unknown[] = []) =>
    (await pool.query<{ id: string }>(sql, params)).rows.map((r) => r.id);
  const commissionerEnterprises = await ids(
    `SELECT id FROM enterprises WHERE commissioner_id = $1 AND status = 'active'`,
    [commissioner.id],
  );
  const supervisorEnterprises = await ids(`SELECT id FROM enterprises ORDER BY random() LIMIT 2000`);
  const conflictProblems = await ids(
    `SELECT id FROM problems WHERE status IN ('open', 'in_progress') ORDER BY id LIMIT 20`,
  );
  const assignees = await ids(`SELECT id FROM users WHERE role = 'commissioner' ORDER BY username LIMIT 10`);
  const supervisorToken = await login(port, 'bench.sup.0');
  const deepCursor = await nextCursor(
    port,
    supervisorToken,
    `/enterprises?page=${deepPageOf(await enterpriseCount(pool)) - 1}&pageSize=20`,
  );
  return {
    commissioner: commissioner.username,
    commissionerEnterprises,
    supervisor: 'bench.sup.0',
    supervisorEnterprises,
    conflictProblems,
    assignees,
    deepCursor,
    tokens: {
      commissioner: await login(port, commissioner.username),
      supervisor: supervisorToken,
    },
  };
}

/** Halfway down the city-wide ledger. */
const deepPageOf = (enterprises: number) => Math.max(2, Math.floor(enterprises / 20 / 2));

async function enterpriseCount(pool: Pool): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM enterprises`)).rows[0].n;
}

async function nextCursor(port: number, token: string, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const page = (await response.json()) as { nextCursor?: string | null };
  if (response.status !== 200 || !page.nextCursor) throw new Error(`${path} gave no nextCursor (${response.status})`);
  return page.nextCursor;
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const get = (path: string) => () => ({ method: 'GET' as const, path });

function visitBody(): string {
  return JSON.stringify({
    visitedAt: new Date(Date.now() - 60000).toISOString(),
    method: 'on_site',
    summary: '走访了解用工需求，企业反映招工难',
    demands: [
      { occupation: '数控车工', occupationCategory: '6', headcount: 5 },
      { occupation: '焊工', occupationCategory: '6', headcount: 3, filledCount: 1 },
    ],
    problems: [{ title: '技术工人招聘缺口大', category: 'recruitment', priority: 'normal' }],
  });
}

function scenarios(
  f: Fixtures & { tokens: Record<string, string> },
  enterprises: number,
): { name: string; spec: LoadSpec; reference?: LoadSpec }[] {
  const commissioner = f.tokens.commissioner;
  const supervisor = f.tokens.supervisor;
  const deepPage = deepPageOf(enterprises);
  const versions = new Map<string, number>();
  const transition = (): LoadRequest => {
    const id = pick(f.conflictProblems);
    return {
      method: 'POST',
      path: `/problems/${id}/transitions`,
      body: JSON.stringify({ action: 'reassign', assigneeId: pick(f.assignees), version: versions.get(id) ?? 1 }),
    };
  };
  return [
    { name: '1 health', spec: { next: get('/health') }, reference: { next: get('/health') } },
    {
      name: '2 commissioner list p1',
      spec: { token: commissioner, next: get('/enterprises?page=1&pageSize=20') },
      reference: { token: commissioner, next: get('/enterprises?page=1&pageSize=20') },
    },
    {
      name: '2 commissioner list filtered+sorted',
      spec: { token: commissioner, next: get('/enterprises?tier=municipal&hasShortage=true&sort=-shortage') },
    },
    {
      name: '3 enterprise detail',
      spec: { token: commissioner, next: () => get(`/enterprises/${pick(f.commissionerEnterprises)}`)() },
      reference: { token: commissioner, next: () => get(`/enterprises/${pick(f.commissionerEnterprises)}`)() },
    },
    {
      name: '4 supervisor ledger p1',
      spec: { token: supervisor, next: get('/enterprises?page=1&pageSize=20') },
      reference: { token: supervisor, next: get('/enterprises?page=1&pageSize=20') },
    },
    {
      name: `4 supervisor ledger p${deepPage} by offset`,
      spec: { token: supervisor, next: get(`/enterprises?page=${deepPage}&pageSize=20`) },
    },
    {
      // As the web app asks for the next page: the previous page's cursor.
      name: `4 supervisor ledger p${deepPage} by cursor`,
      spec: {
        token: supervisor,
        next: get(`/enterprises?page=${deepPage}&pageSize=20&after=${f.deepCursor}`),
      },
    },
    {
      name: '4 supervisor ledger p1 of 100 rows',
      spec: { token: supervisor, next: get('/enterprises?page=1&pageSize=100') },
    },
    {
      name: '5 overdue problems',
      spec: { token: supervisor, next: get('/problems?overdue=true&sort=dueAt') },
      reference: { token: supervisor, next: get('/problems?overdue=true&sort=dueAt') },
    },
    {
      name: '5 review queue',
      spec: { token: supervisor, next: get('/problems?status=resolved') },
      reference: { token: supervisor, next: get('/problems?status=resolved') },
    },
    // The web app's 全部 tab: every status, in due-date order.
    { name: '5 every problem p1', spec: { token: supervisor, next: get('/problems') } },
    {
      name: '6 demand summary by district',
      spec: { token: supervisor, next: get('/demands/summary?groupBy=district') },
    },
    { name: '6 dashboard city-wide', spec: { token: supervisor, next: get('/dashboard') } },
    {
      name: '6 dashboard commissioners p1',
      spec: { token: supervisor, next: get('/dashboard/commissioners?page=1&pageSize=20') },
    },
    {
      name: '7 log a visit (2 demands, 1 problem)',
      spec: {
        token: commissioner,
        next: () => ({
          method: 'POST',
          path: `/enterprises/${pick(f.commissionerEnterprises)}/visits`,
          body: visitBody(),
        }),
      },
      reference: {
        token: commissioner,
        next: () => ({
          method: 'POST',
          path: `/enterprises/${pick(f.commissionerEnterprises)}/visits`,
          body: visitBody(),
        }),
      },
    },
    {
      name: '8 transition burst (409 expected)',
      spec: {
        token: supervisor,
        expected: [409],
        next: transition,
        onResponse: (status, body, request) => {
          if (status !== 200 && status !== 409) return;
          const id = request.path.split('/')[2];
          const parsed = JSON.parse(body) as { version?: number; detail?: string };
          if (status === 200 && parsed.version) versions.set(id, parsed.version);
          // A conflict says the current version: the next try uses it, as a client would after re-reading.
          const current = /current version (\d+)/.exec(parsed.detail ?? '');
          if (current) versions.set(id, Number(current[1]));
        },
      },
    },
  ];
}

async function dataSize(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM enterprises)::int AS enterprises, (SELECT count(*) FROM visits)::int AS visits,
            (SELECT count(*) FROM demands)::int AS demands, (SELECT count(*) FROM problems)::int AS problems,
            (SELECT count(*) FROM users)::int AS users`,
  );
  return rows[0] as Record<string, number>;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

function line(r: ScenarioResult): string {
  return `| ${r.name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors} | ${
    r.reference ? fmt(r.reference.rps, 0) : '–'
  } | ${r.ratio === undefined ? '–' : fmt(r.ratio, 2)} |`;
}

function report(
  size: Record<string, number>,
  options: RunOptions,
  results: ScenarioResult[],
  apiPeakRss: number,
  reminders: ReminderResults | undefined,
  files: FileResults | undefined,
): void {
  const table = [
    '| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | reference req/s | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(line),
  ].join('\n');
  const memory = `peak RSS: API ${fmt(apiPeakRss, 0)} MB, worker ${fmt(reminders?.workerPeakRssMb, 0)} MB`;
  const reminderLines = reminders
    ? [
        `reminders: ${reminders.burst.subjects} due at once → ${reminders.burst.notifications} in the inbox in ${fmt(reminders.burst.seconds)} s`,
        `reminders: ${reminders.steady.rate}/s for ${reminders.steady.seconds} s → lag p50 ${fmt(reminders.steady.p50)} ms, p99 ${fmt(reminders.steady.p99)} ms (${reminders.steady.delivered}/${reminders.steady.expected} delivered)`,
      ]
    : [];
  const fileLines = files
    ? [
        ...files.exports.map(
          (e) => `export.${e.format}: the whole ledger, ${e.rows} rows (${fmt(e.megabytes)} MB) in ${fmt(e.seconds)} s`,
        ),
        `exports: API peak RSS ${fmt(files.exportApiPeakRssMb, 0)} MB (a fresh API serving only the exports)`,
        `import of ${files.import.rows} new enterprises (${fmt(files.import.megabytes)} MB xlsx): upload ${fmt(files.import.uploadSeconds)} s, ` +
          `validated ${fmt(files.import.validateSeconds)} s after upload, applied in ${fmt(files.import.applySeconds)} s; ` +
          `peak RSS worker ${fmt(files.import.workerPeakRssMb, 0)} MB, API ${fmt(files.import.apiPeakRssMb, 0)} MB`,
      ]
    : [];
  console.log(`\n${table}\n\n${memory}\n${[...reminderLines, ...fileLines].join('\n')}`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        size,
        options,
        nodeFlags: process.env.BENCH_NODE_FLAGS ?? PRODUCTION_NODE_FLAGS,
        results,
        apiPeakRssMb: apiPeakRss,
        reminders,
        files,
      },
      null,
      2,
    ),
  );
  console.log(`raw numbers: ${file}`);
  const measured = `measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (\`bench/results/${file.split('/').at(-1)}\`).`;
  // A run of some scenarios only (--only) leaves the size's full table as it was.
  if (!options.only) {
    updatePerformanceDoc(
      `bench:${size.enterprises}`,
      [
        `### ${size.enterprises.toLocaleString('en')} enterprises`,
        '',
        `${size.visits.toLocaleString('en')} visits, ${size.demands.toLocaleString('en')} demands, ${size.problems.toLocaleString('en')} problems, ${size.users.toLocaleString('en')} users; ` +
          `${options.connections} connections, ${options.duration} s per scenario after ${options.warmup} s of warm-up; ${measured}`,
        '',
        [table, '', memory, ...reminderLines.map((l) => `${l}  `)].join('\n'),
      ].join('\n'),
    );
  }
  if (files) {
    updatePerformanceDoc(
      `bench-files:${size.enterprises}`,
      [
        `### Excel in and out, ${size.enterprises.toLocaleString('en')} enterprises`,
        '',
        `Each on fresh processes (\`--only files\`); ${measured}`,
        '',
        fileLines.map((l) => `${l}  `).join('\n'),
      ].join('\n'),
    );
  }
}

/**
 * Replaces one section of docs/performance.md (a data size's table, or its file figures) with
 * the run's, other sections keeping theirs, so the document shows the latest measurement of each.
 */
function updatePerformanceDoc(key: string, body: string): void {
  const path = join(ROOT, 'docs', 'performance.md');
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n';
  const begin = `<!-- ${key} -->`;
  const end = `<!-- /${key} -->`;
  const section = [begin, body, end].join('\n');
  const at = doc.indexOf(begin);
  const next =
    at >= 0
      ? doc.slice(0, at) + section + doc.slice(doc.indexOf(end) + end.length)
      : `${doc.trimEnd()}\n\n${section}\n`;
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(path, next);
}
