import { ConnectionOptions, Queue } from 'bullmq';
import { Pool } from 'pg';
import { CHANGE_CHECK_PRIORITY, QUEUE, REMINDER_JOB, REMINDER_JOB_OPTIONS, redisOptions } from '@keydesk/queue';
import { BENCH_QUEUE_PREFIX, BENCH_REDIS_URL } from './env';
import { startProcess } from './processes';

export interface ReminderResults {
  burst: { subjects: number; notifications: number; seconds: number };
  steady: { rate: number; seconds: number; expected: number; delivered: number; p50: number; p99: number };
  workerPeakRssMb: number;
}

const BURST_LEAD_MS = 20000;
const STEADY_RATE = 200;
const STEADY_SECONDS = 60;
/** Edits made while the worker was down: each left a check waiting, as the API enqueues them. */
const BACKLOG_CHECKS = 5000;

/**
 * The worker under load, through its real path: problems are added directly in PostgreSQL
 * (as if entered while Redis was away), the worker's start-up sweep schedules their wake-ups,
 * and the inbox is watched. Each problem owes "overdue" to its assignee and the supervisors in
 * scope (three people here), so a burst of N/3 problems is N reminders.
 * Before the worker starts, BACKLOG_CHECKS checks wait in the queue (besides whatever the
 * scenarios left there), each for one problem or enterprise that was edited while no worker ran.
 *  - burst: `reminders` fall due at one moment; time from that moment until all are in inboxes;
 *  - steady: STEADY_RATE problems fall due per second for STEADY_SECONDS; lag from each due
 *    moment to its inbox row.
 */
export async function benchReminders(
  pool: Pool,
  env: Record<string, string>,
  reminders: number,
): Promise<ReminderResults> {
  await pool.query(`DELETE FROM notifications WHERE title = 'bench'`);
  const perProblem = await recipientsPerProblem(pool);
  const burstProblems = Math.ceil(reminders / perProblem);
  const burstAt = new Date(Date.now() + BURST_LEAD_MS);
  const steadyStart = new Date(burstAt.getTime() + 90000);
  await addProblems(pool, 'burst', burstProblems, burstAt, 0);
  await addProblems(pool, 'steady', STEADY_RATE * STEADY_SECONDS, steadyStart, 1000 / STEADY_RATE);
  await addBacklog(pool, BACKLOG_CHECKS);

  const worker = await startProcess(
    'dist/apps/worker/src/main.js',
    env,
    async () => (await pool.query(`SELECT 1`)).rowCount === 1,
  );
  try {
    const burst = await waitForAll(pool, 'burst', burstAt);
    console.log(
      `reminder burst: ${burst.notifications} reminders (${burstProblems} problems) in ${burst.seconds.toFixed(1)} s`,
    );
    const steady = await waitForSteady(pool, steadyStart);
    console.log(`reminder steady: lag p50 ${steady.p50} ms, p99 ${steady.p99} ms`);
    return { burst: { subjects: burstProblems, ...burst }, steady, workerPeakRssMb: worker.peakRssMb() };
  } finally {
    await worker.stop();
    // Leave the bench city as it was for the next run.
    await pool.query(
      `DELETE FROM notifications WHERE subject_id IN (SELECT id FROM problems WHERE description LIKE 'bench-reminders-%')`,
    );
    await pool.query(
      `DELETE FROM problem_events WHERE problem_id IN (SELECT id FROM problems WHERE description LIKE 'bench-reminders-%')`,
    );
    await pool.query(`DELETE FROM problems WHERE description LIKE 'bench-reminders-%'`);
  }
}

/** One check per edited subject (half problems, half enterprises), enqueued as the API does after a change. */
async function addBacklog(pool: Pool, count: number): Promise<void> {
  const { rows } = await pool.query<{ type: 'problem' | 'enterprise'; id: string }>(
    `(SELECT 'problem' AS type, id FROM problems ORDER BY random() LIMIT $1)
     UNION ALL (SELECT 'enterprise', id FROM enterprises ORDER BY random() LIMIT $1)`,
    [count / 2],
  );
  const queue = new Queue(QUEUE.reminders, {
    connection: redisOptions(BENCH_REDIS_URL, true) as ConnectionOptions,
    prefix: BENCH_QUEUE_PREFIX,
  });
  try {
    await queue.addBulk(
      rows.map((subject) => ({
        name: REMINDER_JOB.check,
        data: { subjects: [subject] },
        opts: { ...REMINDER_JOB_OPTIONS, priority: CHANGE_CHECK_PRIORITY },
      })),
    );
  } finally {
    await queue.close();
  }
}

/** The city-wide supervisor plus the one of the district: with the assignee, three per problem. */
async function recipientsPerProblem(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE role = 'supervisor' AND active
        AND (cardinality(district_codes) = 0 OR '220102' = ANY(district_codes))`,
  );
  return rows[0].n + 1;
}

/**
 * Problems on active enterprises of district 220102, due at `first` + i × `spacingMs`, with
 * their "due soon" already sent (it applied the day before).
 */
async function addProblems(pool: Pool, tag: string, count: number, first: Date, spacingMs: number): Promise<void> {
  await pool.query(
    `WITH targets AS (
       SELECT id, commissioner_id, row_number() OVER (ORDER BY id) AS n FROM enterprises
        WHERE status = 'active' AND district_code = '220102' AND commissioner_id IS NOT NULL),
     slots AS (SELECT g AS i FROM generate_series(0, $2 - 1) AS g)
     INSERT INTO problems (enterprise_id, title, description, category, priority, assignee_id, reported_at, due_at, status, created_by_id, created_at, updated_at)
     SELECT t.id, '基准测试问题', 'bench-reminders-' || $1, 'other', 'normal', t.commissioner_id,
            $3::timestamptz + (s.i * $4) * interval '1 millisecond' - interval '7 days',
            $3::timestamptz + (s.i * $4) * interval '1 millisecond', 'open', t.commissioner_id, now(), now()
       FROM slots s JOIN targets t ON t.n = 1 + s.i % (SELECT count(*) FROM targets)`,
    [tag, count, first, spacingMs],
  );
  await pool.query(
    `INSERT INTO notifications (recipient_id, kind, subject_type, subject_id, due_moment, title, body, created_at, read_at)
     SELECT assignee_id, 'problem_due_soon', 'problem', id, due_at, 'bench', '', now(), now()
       FROM problems WHERE description = 'bench-reminders-' || $1`,
    [tag],
  );
}

async function waitForAll(pool: Pool, tag: string, dueAt: Date): Promise<{ notifications: number; seconds: number }> {
  const expected = await owed(pool, tag);
  for (;;) {
    const { rows } = await pool.query<{ n: number; last: Date | null }>(
      `SELECT count(*)::int AS n, max(n.created_at) AS last FROM notifications n JOIN problems p ON p.id = n.subject_id
        WHERE p.description = 'bench-reminders-' || $1 AND n.kind = 'problem_overdue'`,
      [tag],
    );
    if (rows[0].n >= expected) {
      return { notifications: rows[0].n, seconds: (rows[0].last!.getTime() - dueAt.getTime()) / 1000 };
    }
    if (Date.now() - dueAt.getTime() > 300000)
      throw new Error(`only ${rows[0].n} of ${expected} burst reminders after 5 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function owed(pool: Pool, tag: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int * $2 AS n FROM problems WHERE description = 'bench-reminders-' || $1`,
    [tag, await recipientsPerProblem(pool)],
  );
  return rows[0].n;
}

async function waitForSteady(pool: Pool, start: Date): Promise<ReminderResults['steady']> {
  const expected = await owed(pool, 'steady');
  const until = start.getTime() + STEADY_SECONDS * 1000 + 30000;
  while (Date.now() < until) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications n JOIN problems p ON p.id = n.subject_id
        WHERE p.description = 'bench-reminders-steady' AND n.kind = 'problem_overdue'`,
    );
    if (rows[0].n >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const { rows } = await pool.query<{ lag: number }>(
    `SELECT extract(epoch FROM n.created_at - p.due_at) * 1000 AS lag FROM notifications n JOIN problems p ON p.id = n.subject_id
      WHERE p.description = 'bench-reminders-steady' AND n.kind = 'problem_overdue' ORDER BY 1`,
  );
  const lags = rows.map((row) => Number(row.lag));
  const at = (q: number) => Math.round(lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? NaN);
  return {
    rate: STEADY_RATE,
    seconds: STEADY_SECONDS,
    expected,
    delivered: lags.length,
    p50: at(0.5),
    p99: at(0.99),
  };
}
