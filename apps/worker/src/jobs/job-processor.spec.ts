import type { JobHandlers, QueueName } from '@keydesk/queue';
import { JobProcessor, jobHandlerProblems } from './job-processor';

const handled = () => Promise.resolve('done');

function processor(queue: QueueName, handlers: Record<string, () => Promise<unknown>>): JobProcessor<QueueName> {
  return Object.assign(Object.create(JobProcessor.prototype) as JobProcessor<QueueName>, {
    queue,
    handlers: handlers as unknown as JobHandlers<QueueName>,
  });
}

const complete = () => [
  processor('reminders', { check: handled, reconcile: handled, digest: handled }),
  processor('webhooks', { deliver: handled }),
  processor('maintenance', { 'compact-rollups': handled }),
  processor('imports', { 'import-validate': handled, 'import-apply': handled, 'import-housekeeping': handled }),
];

describe('the start-up check of job handlers', () => {
  it('passes when every job has exactly one handler on its own queue', () => {
    expect(jobHandlerProblems(complete())).toEqual([]);
  });

  it('names a job whose queue has no processor', () => {
    expect(jobHandlerProblems(complete().filter((p) => p.queue !== 'maintenance'))).toEqual([
      'job compact-rollups (queue maintenance) has 0 handlers',
    ]);
  });

  it('names a job handled twice, by two processors of one queue', () => {
    expect(jobHandlerProblems([...complete(), processor('webhooks', { deliver: handled })])).toEqual([
      'job deliver (queue webhooks) has 2 handlers',
    ]);
  });

  it('names a handler on the wrong queue and one for a job nobody enqueues', () => {
    const [reminders, webhooks, maintenance, imports] = complete();
    const wrong = processor('webhooks', { deliver: handled, digest: handled, vacuum: handled });
    expect(jobHandlerProblems([reminders, wrong, maintenance, imports])).toEqual([
      'queue webhooks handles digest, which runs on reminders',
      'queue webhooks handles unknown job vacuum',
    ]);
    expect(webhooks.handlers).toHaveProperty('deliver');
  });

  it('fails a job without a handler at once, rather than letting it retry', async () => {
    const reminders = processor('reminders', { check: handled });
    await expect(Promise.resolve().then(() => reminders.process({ name: 'vacuum' } as never))).rejects.toThrow(
      'no handler for job vacuum on queue reminders',
    );
    await expect(reminders.process({ name: 'check' } as never)).resolves.toBe('done');
  });
});
