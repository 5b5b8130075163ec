import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUE } from '@keydesk/queue';
import { createEnterprise } from './factories/enterprises.factory';
import { DAY, reportProblem } from './factories/field-work.factory';
import { createUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';
import { queueIdle, sentFor, sleep, startWorker, TestWorker, waitFor } from './support/worker';

const SECRET = 'bureau-bot-shared-secret-0123456789';
const MAX_ATTEMPTS = 3;

/**
 * A messaging bot that is down for good: each delivery is tried WEBHOOK_MAX_ATTEMPTS times, then
 * marked failed and left alone; the inbox has the notification all along.
 */
describe('a webhook receiver that keeps failing', () => {
  let t: TestApp;
  let db: DataSource;
  let webhooks: Queue;
  let worker: TestWorker;
  let server: Server;
  /** Requests the receiver saw, per notification id. */
  const calls = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp();
    db = t.db;
    webhooks = t.app.get<Queue>(getQueueToken(QUEUE.webhooks));
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
        calls.set(id, (calls.get(id) ?? 0) + 1);
        response.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/keydesk`;
    worker = await startWorker({
      env: {
        WEBHOOK_URL: url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        WEBHOOK_BACKOFF_MS: '50',
      },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    server?.close();
  });

  it(`ends "failed" after exactly ${MAX_ATTEMPTS} attempts, and is not tried again`, async () => {
    const admin = await createUser(t, 'admin');
    const zhang = await createUser(t, 'commissioner');
    const enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
    // Overdue since yesterday: one "overdue" reminder, to zhang (no supervisor, not yet escalated).
    const problem = await reportProblem(t, zhang.auth, enterprise.id, {
      reportedAt: new Date(Date.now() - 8 * DAY).toISOString(),
    });
    const notificationsOf = (): Promise<{ id: string; webhookState: string; attempts: number }[]> =>
      db.query(
        `SELECT id, webhook_state AS "webhookState", webhook_attempts AS attempts FROM notifications WHERE subject_id = $1`,
        [problem.id],
      );

    const failed = await waitFor(
      async () => (await notificationsOf()).find((n) => n.webhookState === 'failed'),
      10000,
      'the delivery to be given up',
    );
    await queueIdle(webhooks);
    await sleep(500); // long enough for another retry (backoff 50, 100, 200 ms …) were one coming
    expect(await notificationsOf()).toEqual([{ id: failed!.id, webhookState: 'failed', attempts: MAX_ATTEMPTS }]);
    expect(calls.get(failed!.id)).toBe(MAX_ATTEMPTS);
    const [job] = await webhooks.getFailed();
    expect(job.attemptsMade).toBe(MAX_ATTEMPTS);
    expect(job.failedReason).toBe('receiver answered 500');

    // The inbox has it regardless.
    const inbox = await t.http().get('/api/v1/notifications').set('Authorization', zhang.auth).expect(200);
    expect(inbox.body.items.map((n: { id: string }) => n.id)).toContain(failed!.id);
    expect(await sentFor(db, problem.id)).toEqual([`problem_overdue→${zhang.user.id}`]);

    // A sweep a few minutes on finds nothing pending: a failed delivery is not started over.
    worker.clock.offsetMs = 5 * 60 * 1000;
    try {
      expect((await worker.reconcile()).webhooks).toBe(0);
    } finally {
      worker.clock.offsetMs = 0;
    }
    await queueIdle(webhooks);
    expect(calls.get(failed!.id)).toBe(MAX_ATTEMPTS);
  });
});
