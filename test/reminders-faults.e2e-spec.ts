import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { beijingDay } from '@keydesk/domain';
import { QUEUE } from '@keydesk/queue';
import { ReminderProcessor } from '../apps/worker/src/reminders/reminder.processor';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, reportedForDue, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { clearWorkerRedisKeys, createTestApp, TestApp } from './support/test-app';
import { acquireBuildLock } from './support/build-lock';
import { queueIdle, sentNotifications, startWorker, TestWorker, waitFor } from './support/worker';

const ROOT = join(__dirname, '..');
const WORKER_MAIN = join(ROOT, 'dist/apps/worker/src/main.js');

/**
 * PostgreSQL is the truth and Redis only delivers: losing Redis's keys, killing a worker in the
 * middle of its jobs, or running two workers at once loses no reminder and doubles none.
 */
describe('reminders under faults', () => {
  let t: TestApp;
  let db: DataSource;
  let queue: Queue;
  let admin: TestUser;
  let zhang: TestUser;
  let citySupervisor: TestUser;
  let enterprise: CreatedEnterprise;

  let releaseBuild: (() => void) | undefined;

  beforeAll(async () => {
    // The killed worker is the production build, run as its own process.
    releaseBuild = await acquireBuildLock();
    execFileSync('npx', ['nest', 'build', 'worker'], { cwd: ROOT, stdio: 'pipe' });
    t = await createTestApp();
    db = t.db;
    queue = t.app.get<Queue>(getQueueToken(QUEUE.reminders));
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    citySupervisor = await createUser(t, 'supervisor');
  }, 600000); // may wait for another suite's build
  afterAll(async () => {
    releaseBuild?.();
    await t?.close();
  });
  beforeEach(async () => {
    // Each test starts from an empty inbox with nothing else owed: earlier enterprises are archived.
    await db.query(`UPDATE enterprises SET status = 'archived'`);
    await db.query(`DELETE FROM notifications`);
    // The workers here run on the real clock: today's and tomorrow's digests count as sent, so
    // that none goes out among the reminders these tests count, whatever the hour they run at.
    await db.query(
      `INSERT INTO reminder_runs (name, day, completed_at) SELECT 'digest', unnest($1::text[])::date, now()
       ON CONFLICT DO NOTHING`,
      [[beijingDay(new Date()), beijingDay(new Date(Date.now() + DAY))]],
    );
    await clearWorkerRedisKeys();
    enterprise = await createEnterprise(t, admin.auth, { districtCode: '220103', commissionerId: zhang.user.id });
  });

  /** Problems entered 30 days late: each owes overdue (zhang, the supervisor) and escalated (admin). */
  async function longOverdueProblems(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const problem = await reportProblem(t, zhang.auth, enterprise.id, {
        title: `逾期问题 ${i}`,
        reportedAt: new Date(Date.now() - 30 * DAY).toISOString(),
      });
      ids.push(problem.id);
    }
    return ids;
  }
  /**
   * `count` long-overdue problems: one reported through the API, the rest copied from it in SQL
   * (no check is queued for the copies: the worker's sweep at start finds them, batch by batch).
   */
  async function manyLongOverdueProblems(count: number): Promise<string[]> {
    const [first] = await longOverdueProblems(1);
    const copies: { id: string }[] = await db.query(
      `INSERT INTO problems (enterprise_id, title, description, category, priority, assignee_id, reported_at, due_at,
                             status, created_by_id, created_at, updated_at)
       SELECT enterprise_id, title || ' ' || g, description, category, priority, assignee_id, reported_at, due_at,
              status, created_by_id, created_at, updated_at
         FROM problems, generate_series(1, $2::int) AS g WHERE id = $1
       RETURNING id`,
      [first, count - 1],
    );
    return [first, ...copies.map((copy) => copy.id)];
  }
  const owedFor = (ids: string[]) =>
    ids
      .flatMap((id) => [
        `problem_overdue ${id} ${zhang.user.id}`,
        `problem_overdue ${id} ${citySupervisor.user.id}`,
        `problem_escalated ${id} ${admin.user.id}`,
      ])
      .sort();
  const sentNow = async () =>
    (await sentNotifications(db)).map((row) => `${row.kind} ${row.subjectId} ${row.recipientId}`).sort();
  const count = async () => (await db.query(`SELECT count(*)::int AS n FROM notifications`))[0].n as number;
  /** Jobs ready to run, with or without a priority (a change's check has one). */
  const readyToRun = async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized');
    return counts.waiting + counts.prioritized;
  };

  it('loses nothing and doubles nothing when Redis loses every key mid-run', async () => {
    const worker = await startWorker({ env: { RECONCILE_INTERVAL_SECONDS: '2' } });
    try {
      const dueAt = Date.now() + 3000;
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const problem = await reportProblem(t, zhang.auth, enterprise.id, {
          reportedAt: reportedForDue(dueAt, 7),
        });
        ids.push(problem.id);
      }
      await worker.idle();
      expect(await queue.getDelayedCount()).toBeGreaterThanOrEqual(10); // the overdue wake-ups
      expect(await count()).toBe(10); // "due soon", at once

      await clearWorkerRedisKeys(); // wake-ups, schedulers, everything
      expect(await queue.getDelayedCount()).toBe(0);

      const expected = [
        ...ids.map((id) => `problem_due_soon ${id} ${zhang.user.id}`),
        ...ids.flatMap((id) => [
          `problem_overdue ${id} ${zhang.user.id}`,
          `problem_overdue ${id} ${citySupervisor.user.id}`,
        ]),
      ].sort();
      // The worker registers its schedulers again and the reconciler finds what is due.
      await waitFor(async () => (await count()) >= expected.length, 20000, 'the overdue reminders');
      await new Promise((resolve) => setTimeout(resolve, 2500)); // one more sweep: still nothing doubled
      await worker.idle();
      expect(await sentNow()).toEqual(expected);
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(['digest', 'reconcile']);
    } finally {
      await worker.close();
    }
  });

  describe('a worker process', () => {
    let child: ChildProcess | undefined;
    let output = '';
    const start = (env: Record<string, string> = {}) => {
      output = '';
      child = spawn(process.execPath, [WORKER_MAIN], {
        cwd: ROOT,
        env: { ...process.env, WORKER_CONCURRENCY: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      return child;
    };
    const stop = async (signal: NodeJS.Signals) => {
      const process = child!;
      const exited = once(process, 'exit');
      process.kill(signal);
      const [code, killedBy] = (await exited) as [number | null, NodeJS.Signals | null];
      child = undefined;
      return { code, killedBy };
    };
    afterEach(async () => {
      if (child) await stop('SIGKILL');
    });

    it('killed with SIGKILL while sending, then restarted: everything arrives exactly once', async () => {
      // Six batches for the sweep at start; one worker at a time takes them, so it dies with work left.
      const ids = await manyLongOverdueProblems(600);
      start();
      await waitFor(async () => (await count()) > 0, 20000, 'the first reminders');
      const { killedBy } = await stop('SIGKILL');
      expect(killedBy).toBe('SIGKILL');
      const atKill = await count();
      expect(atKill).toBeLessThan(ids.length * 3); // it died with work left
      expect(await readyToRun()).toBeGreaterThan(0);

      start();
      await waitFor(async () => (await count()) >= ids.length * 3, 30000, 'all reminders after the restart');
      // The job the killed worker held stays "active" until its lock expires (30 s); BullMQ then
      // retries it and it finds nothing left to send. The sweep at start has already done its work.
      await waitFor(async () => (await readyToRun()) === 0, 30000, 'the queue to drain');
      expect(await sentNow()).toEqual(owedFor(ids));
      expect(output).toMatch(/sent kind=problem_overdue subject=problem\/[0-9a-f-]+ recipient=/);
    }, 90000);

    it('on SIGTERM stops taking jobs, finishes the ones in hand and exits; a restart finishes the rest', async () => {
      const ids = await longOverdueProblems(80);
      start();
      await waitFor(async () => (await count()) > 0, 20000, 'the first reminders');
      const { code, killedBy } = await stop('SIGTERM');
      expect(code === 0 || killedBy === 'SIGTERM').toBe(true);
      expect(output).toContain('stopped: no reminder job in hand');
      // Nothing was left half-done: no job is still marked active by the stopped worker.
      expect(await queue.getActiveCount()).toBe(0);

      start();
      await waitFor(async () => (await count()) >= ids.length * 3, 30000, 'all reminders after the restart');
      await queueIdle(queue, 30000);
      expect(await sentNow()).toEqual(owedFor(ids));
    }, 90000);
  });

  it('two workers side by side share the work, with one set of schedulers and no duplicates', async () => {
    const first: TestWorker = await startWorker();
    const second: TestWorker = await startWorker();
    const handled = [0, 0];
    first.app.get(ReminderProcessor).worker.on('completed', () => handled[0]++);
    second.app.get(ReminderProcessor).worker.on('completed', () => handled[1]++);
    try {
      const ids = await longOverdueProblems(60);
      await Promise.all([first.reconcile(), second.reconcile()]);
      await waitFor(async () => (await count()) >= ids.length * 3, 20000, 'all reminders');
      await first.idle();
      expect(await sentNow()).toEqual(owedFor(ids));
      expect(handled[0]).toBeGreaterThan(0);
      expect(handled[1]).toBeGreaterThan(0);
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(['digest', 'reconcile']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
