import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUE, ReminderQueue } from '@keydesk/queue';
import { createTestApp, TestApp } from './support/test-app';

describe('health and the API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports PostgreSQL and Redis as up, without a token', async () => {
    const response = await t.http().get('/api/v1/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details.postgres.status).toBe('up');
    expect(response.body.details.redis.status).toBe('up');
  });

  it("shows the reminder and webhook queues' waiting, delayed, active and failed jobs", async () => {
    const reminders = t.app.get<Queue>(getQueueToken(QUEUE.reminders));
    await reminders.add('check', { subjects: [] }, { delay: 60000 });
    // A change's check waits with a priority; it counts as waiting all the same.
    await t.app.get(ReminderQueue).subjectsChanged([{ type: 'problem', id: '00000000-0000-4000-8000-000000000001' }]);
    const response = await t.http().get('/api/v1/health').expect(200);
    expect(response.body.details.queues).toEqual({
      status: 'up',
      reminders: { waiting: 1, delayed: 1, active: 0, failed: 0 },
      webhooks: { waiting: 0, delayed: 0, active: 0, failed: 0 },
    });
  });
});
