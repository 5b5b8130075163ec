import { Worker } from 'bullmq';
import { ReminderQueue } from '@keydesk/queue';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Wake-ups are delayed BullMQ jobs batched by moment, and BullMQ keeps one job per id: two
 * different batches scheduled for one moment must both be waiting, not the first alone. And
 * what is due now goes before the checks that follow changes, however many of those wait.
 */
describe('wake-up batches', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps two different batches of one moment, and one copy of a batch scheduled twice', async () => {
    const queue = t.app.get(ReminderQueue);
    const now = new Date('2026-12-01T00:00:00Z');
    // An hour ahead of the real clock too, so that nothing runs them while the test looks.
    const fireAt = new Date(Math.max(Date.now(), now.getTime()) + 3_600_000);
    const subject = (id: string) => ({ type: 'problem' as const, id });
    const first = [subject('00000000-0000-4000-8000-00000000000a'), subject('00000000-0000-4000-8000-00000000000b')];
    const second = [subject('00000000-0000-4000-8000-00000000000a'), subject('00000000-0000-4000-8000-00000000000c')];

    await queue.wakeUpAt(
      first.map((s) => ({ subject: s, fireAt })),
      now,
    );
    await queue.wakeUpAt(
      second.map((s) => ({ subject: s, fireAt })),
      now,
    );
    await queue.wakeUpAt(
      first.map((s) => ({ subject: s, fireAt })),
      now,
    );

    const waiting = (await queue.reminders.getDelayed()).map((job) =>
      (job.data as { subjects: { id: string }[] }).subjects.map((s) => s.id.slice(-1)).join(''),
    );
    expect(waiting.sort()).toEqual(['ab', 'ac']);
    await queue.reminders.obliterate({ force: true });
  });

  it('takes what is due now before a backlog of checks that follow changes', async () => {
    const queue = t.app.get(ReminderQueue);
    const subject = (n: number) => ({
      type: 'problem' as const,
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    });
    // Edits made while no worker ran: one check each, enqueued first.
    for (let n = 1; n <= 20; n++) await queue.subjectsChanged([subject(n)]);
    // Then a wake-up falls due and the sweep finds a subject owing.
    await queue.wakeUpAt([{ subject: subject(100), fireAt: new Date(0) }], new Date(0));
    await queue.checkNow([subject(200)]);

    const taken: string[] = [];
    const worker = new Worker(
      queue.reminders.name,
      (job) => {
        taken.push((job.data as { subjects: { id: string }[] }).subjects.map((s) => Number(s.id.slice(-12))).join());
        return Promise.resolve();
      },
      { connection: queue.reminders.opts.connection, prefix: queue.reminders.opts.prefix, concurrency: 1 },
    );
    try {
      const deadline = Date.now() + 10_000;
      while (taken.length < 22 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await worker.close();
    }
    expect(taken.slice(0, 2).sort()).toEqual(['100', '200']);
    expect(taken.slice(2)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    await queue.reminders.obliterate({ force: true });
  });
});
