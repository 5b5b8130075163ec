import { WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JOB_QUEUE, JobHandlers, JobName, QueueName } from '@keydesk/queue';

/**
 * A queue's processor: one typed handler per job name of its queue (`JobHandlers`), so a job
 * added to `JobPayloads` without a handler is a type error, and `process` needs no casts.
 */
export abstract class JobProcessor<Q extends QueueName> extends WorkerHost {
  abstract readonly queue: Q;
  abstract readonly handlers: JobHandlers<Q>;

  process(job: Job): Promise<unknown> {
    const handler = (this.handlers as unknown as Record<string, ((job: Job) => Promise<unknown>) | undefined>)[
      job.name
    ];
    // A job this version does not know (enqueued by a newer one, or by hand) fails at once, kept for the operator.
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${this.queue}`);
    return handler(job);
  }
}

/**
 * The start-up check: every job name has exactly one handler, on the processor of the queue it is
 * enqueued on. The types make a missing handler an error already; this also catches a processor
 * left out of the module, or two processors of one queue.
 */
export function jobHandlerProblems(processors: readonly { queue: QueueName; handlers: object }[]): string[] {
  const problems: string[] = [];
  const names = Object.keys(JOB_QUEUE) as JobName[];
  for (const name of names) {
    const handlers = processors.filter((p) => p.queue === JOB_QUEUE[name] && name in p.handlers).length;
    if (handlers !== 1) problems.push(`job ${name} (queue ${JOB_QUEUE[name]}) has ${handlers} handlers`);
  }
  for (const processor of processors) {
    for (const name of Object.keys(processor.handlers)) {
      if (!(name in JOB_QUEUE)) problems.push(`queue ${processor.queue} handles unknown job ${name}`);
      else if (JOB_QUEUE[name as JobName] !== processor.queue) {
        problems.push(`queue ${processor.queue} handles ${name}, which runs on ${JOB_QUEUE[name as JobName]}`);
      }
    }
  }
  return problems;
}
