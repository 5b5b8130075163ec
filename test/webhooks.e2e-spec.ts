import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUE } from '@keydesk/queue';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY, reportProblem } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';
import { queueIdle, startWorker, TestWorker, waitFor } from './support/worker';

const SECRET = 'bureau-bot-shared-secret-0123456789';

interface Received {
  id: string;
  signatureValid: boolean;
  timestamp: number;
  payload: Record<string, unknown>;
}

/** The bureau's messaging bot, as a local HTTP receiver that checks every signature itself. */
class Receiver {
  server: Server;
  accepted: Received[] = [];
  calls = new Map<string, number>();
  /** How to answer the nth call (1-based) for a notification. */
  answer: (call: number) => number = () => 200;

  constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/keydesk`;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = Number(request.headers['x-keydesk-timestamp']);
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${raw}`).digest('hex')}`;
      const given = String(request.headers['x-keydesk-signature'] ?? '');
      const signatureValid =
        given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      const payload = JSON.parse(raw) as Record<string, unknown> & { id: string };
      const call = (this.calls.get(payload.id) ?? 0) + 1;
      this.calls.set(payload.id, call);
      const status = this.answer(call);
      if (status === 200) this.accepted.push({ id: payload.id, signatureValid, timestamp, payload });
      response.writeHead(status).end();
    });
  }
}

describe('the webhook channel', () => {
  let t: TestApp;
  let db: DataSource;
  let webhooks: Queue;
  let receiver: Receiver;
  let worker: TestWorker;
  let admin: TestUser;
  let zhang: TestUser;
  let enterprise: CreatedEnterprise;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.db;
    webhooks = t.app.get<Queue>(getQueueToken(QUEUE.webhooks));
    receiver = new Receiver();
    url = await receiver.start();
    worker = await startWorker({
      env: { WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET, WEBHOOK_BACKOFF_MS: '50', WEBHOOK_MAX_ATTEMPTS: '4' },
    });
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner', { displayName: '张伟' });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    receiver?.server.close();
  });
  beforeEach(async () => {
    receiver.accepted = [];
    receiver.calls.clear();
    await db.query(`UPDATE enterprises SET status = 'archived'`);
    enterprise = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
  });

  const overdueProblem = () =>
    reportProblem(t, zhang.auth, enterprise.id, { reportedAt: new Date(Date.now() - 8 * DAY).toISOString() });
  const notificationsOf = (problemId: string): Promise<{ id: string; webhookState: string; attempts: number }[]> =>
    db.query(
      `SELECT id, webhook_state AS "webhookState", webhook_attempts AS attempts FROM notifications WHERE subject_id = $1`,
      [problemId],
    );

  it('posts each notification once, signed with HMAC-SHA256 over the timestamp and the raw body', async () => {
    const problem = await overdueProblem();
    await waitFor(() => receiver.accepted.length >= 1, 10000, 'a delivery');
    await queueIdle(webhooks);
    const [notification] = await notificationsOf(problem.id);
    expect(receiver.accepted).toHaveLength(1);
    const [delivery] = receiver.accepted;
    expect(delivery.signatureValid).toBe(true);
    expect(Math.abs(delivery.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(delivery.payload).toMatchObject({
      id: notification.id,
      kind: 'problem_overdue',
      subjectType: 'problem',
      subjectId: problem.id,
      recipient: { id: zhang.user.id, displayName: '张伟' },
    });
    expect(delivery.payload.title).toBe(`问题已逾期：${problem.title}`);
    expect(notification).toMatchObject({ webhookState: 'delivered', attempts: 1 });
  });

  it('retries a failing receiver with backoff, without holding up or doubling the inbox', async () => {
    receiver.answer = (call) => (call <= 2 ? 503 : 200);
    const problem = await overdueProblem();
    // The inbox has it at once, whatever the receiver does.
    await worker.idle();
    expect(await notificationsOf(problem.id)).toHaveLength(1);
    await waitFor(() => receiver.accepted.length >= 1, 10000, 'the third attempt');
    await queueIdle(webhooks);
    const [notification] = await notificationsOf(problem.id);
    expect(receiver.calls.get(notification.id)).toBe(3);
    expect(receiver.accepted.map((d) => d.id)).toEqual([notification.id]);
    expect(notification).toMatchObject({ webhookState: 'delivered', attempts: 3 });

    // A later sweep (a minute on) finds nothing pending: a delivered notification is never sent again.
    worker.clock.offsetMs = 2 * 60 * 1000;
    try {
      expect((await worker.reconcile()).webhooks).toBe(0);
    } finally {
      worker.clock.offsetMs = 0;
    }
    await queueIdle(webhooks);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('gives up on a receiver that refuses the request, and keeps the error for the operator', async () => {
    receiver.answer = () => 400;
    const problem = await overdueProblem();
    const failed = await waitFor(
      async () => (await notificationsOf(problem.id)).find((n) => n.webhookState === 'failed'),
      10000,
      'the delivery to fail',
    );
    expect(failed?.attempts).toBe(1); // 400 will not get better by retrying
    const [job] = await webhooks.getFailed();
    expect(job.failedReason).toBe('receiver answered 400');
    receiver.answer = () => 200;
  });

  it('is enqueued again by the reconciler when its job was lost from Redis', async () => {
    receiver.answer = () => 200;
    await worker.app.close(); // no worker: the notification is made by hand, its job "lost"
    const [{ id }] = await db.query(
      `INSERT INTO notifications (recipient_id, kind, subject_type, subject_id, due_moment, title, body, created_at, webhook_state)
       VALUES ($1, 'visit_overdue', 'enterprise', $2, $3, '走访逾期', '请尽快走访', $4, 'pending')
       RETURNING id`,
      // Dated by this process's clock, as the worker's are (the database's clock may differ).
      [zhang.user.id, enterprise.id, new Date(), new Date(Date.now() - 5 * 60 * 1000)],
    );
    worker = await startWorker({ env: { WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET } });
    await waitFor(() => receiver.accepted.some((d) => d.id === id), 10000, 'the recovered delivery');
    expect(receiver.accepted.filter((d) => d.id === id)).toHaveLength(1);
  });
});
