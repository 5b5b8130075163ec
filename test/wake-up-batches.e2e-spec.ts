import { ReminderQueue } from '@keydesk/queue';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Wake-ups are delayed BullMQ jobs batched by moment, and BullMQ keeps one job per id: two
 * different batches scheduled for one moment must both be waiting, not the first alone.
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
});
