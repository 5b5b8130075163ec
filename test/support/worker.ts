import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '@keydesk/common';
import { Environment, validateEnvironment } from '@keydesk/config';
import { digestMomentOf, ReminderReconciler } from '@keydesk/domain';
import { QUEUE } from '@keydesk/queue';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** The real clock moved by an offset, so a test can jump to tomorrow 08:30 without waiting for it. */
export class TestClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  setNow(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

export interface TestWorker {
  app: TestingModule;
  clock: TestClock;
  reminders: Queue;
  reconcile: () => ReturnType<ReminderReconciler['run']>;
  /** Resolves once no reminder job is waiting or running (delayed ones may remain). */
  idle: () => Promise<void>;
  close: () => Promise<void>;
}

/** The real worker module in this process, on this test worker's database and queue prefix. */
export async function startWorker(
  options: { env?: Record<string, string>; clock?: TestClock } = {},
): Promise<TestWorker> {
  const clock = options.clock ?? new TestClock();
  const app = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(Environment)
    .useValue(validateEnvironment({ ...process.env, ...options.env }))
    .compile();
  app.useLogger(['error']);
  await app.init();
  const reminders = app.get<Queue>(getQueueToken(QUEUE.reminders));
  const worker: TestWorker = {
    app,
    clock,
    reminders,
    reconcile: () => app.get(ReminderReconciler).run(),
    idle: () => queueIdle(reminders),
    close: () => app.close(),
  };
  await worker.idle(); // the sweep every worker runs at start
  return worker;
}

/**
 * A worker started an hour before tomorrow's 08:30 (Beijing) on its own clock, so that its
 * start-up sweep sends no digest whatever the hour the suite runs at; `digestAt` is that 08:30.
 */
export async function startWorkerBeforeDigest(
  options: { env?: Record<string, string> } = {},
): Promise<{ worker: TestWorker; digestAt: Date }> {
  const digestAt = digestMomentOf(new Date(Date.now() + 24 * 3600 * 1000));
  const clock = new TestClock();
  clock.setNow(new Date(digestAt.getTime() - 3600 * 1000));
  return { worker: await startWorker({ ...options, clock }), digestAt };
}

export async function queueIdle(queue: Queue, timeoutMs = 15000): Promise<void> {
  await waitFor(
    async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
      return counts.waiting + counts.active + counts.prioritized === 0;
    },
    timeoutMs,
    `queue ${queue.name} to be idle`,
  );
}

/** Polls until `check` returns something truthy, or fails with what it last saw. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SentRow {
  kind: string;
  subjectId: string;
  recipientId: string;
  dueMoment: Date;
  createdAt: Date;
  title: string;
  body: string;
}

export async function sentNotifications(db: DataSource): Promise<SentRow[]> {
  return db.query(
    `SELECT kind, subject_id AS "subjectId", recipient_id AS "recipientId", due_moment AS "dueMoment",
            created_at AS "createdAt", title, body
       FROM notifications ORDER BY created_at, kind, recipient_id`,
  );
}

/** `kind→recipient` pairs for one subject, sorted: what a person would see, compactly. */
export async function sentFor(db: DataSource, subjectId: string): Promise<string[]> {
  const rows = await sentNotifications(db);
  return rows
    .filter((row) => row.subjectId === subjectId)
    .map((row) => `${row.kind}→${row.recipientId}`)
    .sort();
}
