import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CheckJobData, QUEUE } from '@keydesk/queue';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { TcpProxy } from './support/tcp-proxy';
import { createTestApp, TestApp } from './support/test-app';
import { TEST_REDIS_URL, workerQueuePrefix } from './support/test-env';
import { sentFor, sleep, startWorker, TestWorker } from './support/worker';

/**
 * Redis only delivers: when it is gone, the API still records what people enter, promptly, and
 * the worker's sweep sends what those entries owe once it runs against a Redis again.
 */
describe('an API write while Redis is unreachable', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let zhang: TestUser;
  let supervisor: TestUser;
  let enterprise: CreatedEnterprise;
  let worker: TestWorker | undefined;
  let apiClosing: Promise<void> | undefined;

  beforeAll(async () => {
    // The API reaches Redis through a relay that the test can cut; the worker, later, does not.
    const redis = new URL(TEST_REDIS_URL);
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    const port = await proxy.start();
    const realRedisUrl = process.env.REDIS_URL;
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    try {
      t = await createTestApp();
    } finally {
      process.env.REDIS_URL = realRedisUrl;
    }
    db = t.db;
    // Each lost connection is reported as an 'error' by the API's queues; the test need not print them.
    for (const name of [QUEUE.reminders, QUEUE.webhooks]) t.app.get<Queue>(getQueueToken(name)).on('error', () => {});
    // Logging in counts failures in Redis: everyone logs in while it is still there.
    admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    supervisor = await createUser(t, 'supervisor');
    enterprise = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
  });
  afterAll(async () => {
    await worker?.close();
    // Redis "back" through the relay, should the API not have managed to close without it.
    await proxy?.start();
    await (apiClosing ?? t?.close());
    await proxy?.cut();
    // ioredis gives each dropped socket 2 s to close before it lets go of it.
    await sleep(2100);
  });

  /** Reminder jobs in the real Redis that would check this subject. */
  async function jobsFor(subjectId: string): Promise<number> {
    const queue = new Queue(QUEUE.reminders, { connection: { url: TEST_REDIS_URL }, prefix: workerQueuePrefix() });
    try {
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
      return jobs.filter((job) => (job.data as CheckJobData).subjects?.some((s) => s.id === subjectId)).length;
    } finally {
      await queue.close();
    }
  }

  it('answers 201 within a few seconds, and the worker later sends what the entry owed', async () => {
    await proxy.cut(); // Redis "dies" under the running API

    const started = Date.now();
    const reported = await t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/problems`)
      .set('Authorization', zhang.auth)
      .timeout(10000)
      .send({
        title: '春节后返岗率低',
        category: 'recruitment',
        reportedAt: new Date(Date.now() - 30 * DAY).toISOString(),
      });
    const elapsed = Date.now() - started;
    expect(reported.status).toBe(201);
    expect(elapsed).toBeLessThan(5000);
    const problemId = reported.body.id as string;

    // A second write in the same outage is just as prompt: nothing piles up in the request path.
    const again = Date.now();
    const visit = await t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/visits`)
      .set('Authorization', zhang.auth)
      .timeout(10000)
      .send({
        visitedAt: new Date(Date.now() - 40 * DAY).toISOString(),
        method: 'phone',
        summary: '电话回访',
        nextFollowUpAt: new Date(Date.now() - 10 * DAY).toISOString(),
      });
    expect(visit.status).toBe(201);
    expect(Date.now() - again).toBeLessThan(5000);

    // Both are recorded; nothing has been sent, and no job about them reached Redis.
    const detail = await t.http().get(`/api/v1/problems/${problemId}`).set('Authorization', zhang.auth).expect(200);
    expect(detail.body).toMatchObject({ status: 'open', escalationLevel: 0 });
    expect(await sentFor(db, problemId)).toEqual([]);
    expect(await sentFor(db, enterprise.id)).toEqual([]);
    expect(await jobsFor(problemId)).toBe(0);

    // A worker on a working Redis, same database: its start-up sweep finds what is owed.
    worker = await startWorker();
    await worker.idle();
    expect(await sentFor(db, problemId)).toEqual(
      [
        `problem_escalated→${admin.user.id}`,
        `problem_overdue→${supervisor.user.id}`,
        `problem_overdue→${zhang.user.id}`,
      ].sort(),
    );
    expect(await sentFor(db, enterprise.id)).toEqual(
      [`visit_overdue→${supervisor.user.id}`, `visit_overdue→${zhang.user.id}`].sort(),
    );
    const after = await t.http().get(`/api/v1/problems/${problemId}`).set('Authorization', zhang.auth).expect(200);
    expect(after.body.escalationLevel).toBe(2);
  });

  it('lets the API shut down promptly while Redis is still unreachable', async () => {
    await proxy.cut(); // already cut by the test above; cut here too, so that this test stands alone
    apiClosing = t.close();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      apiClosing.then(() => 'closed'),
      new Promise((resolve) => (timer = setTimeout(() => resolve('still closing after 8 s'), 8000))),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('closed');
  });
});
