import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { IMPORT_JOB, ImportJobData, JobNameOn, QUEUE } from './queues';

/** The jobs of one import (the housekeeping is every import's). */
type ImportStepName = Exclude<JobNameOn<typeof QUEUE.imports>, typeof IMPORT_JOB.housekeeping>;

/** An enqueue never holds a request longer than this. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Import jobs run once: a validation is simply uploaded again, and an apply that failed has
 * written nothing. Kept a while after the end, so that the worker can tell a job that is still
 * to run from one that is gone.
 */
const IMPORT_JOB_OPTIONS = {
  attempts: 1,
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
} as const satisfies JobsOptions;

const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
const FINISHED_STATES = new Set(['completed', 'failed']);

/** One job per import and step, so that asking twice enqueues once. */
export const importJobId = (importId: string, name: ImportStepName): string => `${name}-${importId}`;

/** The producer of import jobs (the API enqueues them; the worker asks after them at start). */
@Injectable()
export class ImportQueue implements BeforeApplicationShutdown {
  constructor(@InjectQueue(QUEUE.imports) readonly queue: Queue) {}

  /** Throws when Redis does not take the job in time; the caller undoes what it promised. */
  validate(importId: string): Promise<void> {
    return this.enqueue(IMPORT_JOB.validate, importId);
  }

  apply(importId: string): Promise<void> {
    return this.enqueue(IMPORT_JOB.apply, importId);
  }

  /** Whether the import's job for this step is still to run or running. */
  async isPending(importId: string, name: ImportStepName): Promise<boolean> {
    const job = await this.queue.getJob(importJobId(importId, name));
    return !!job && PENDING_STATES.has(await job.getState());
  }

  /** A queue whose connection is down is torn down at once: its QUIT would wait for Redis forever. */
  async beforeApplicationShutdown(): Promise<void> {
    const backend = this.queue.getBackend();
    const client = await settledWithin(backend.client, 100);
    if (client && client.status !== 'ready') await backend.close(true);
  }

  /**
   * A job of the same id that has finished is removed first: kept for a day, it would swallow
   * the new one (an apply asked again after an enqueue that timed out, yet reached Redis, and ran
   * while the import was back to `validated`). One still to run is left to run.
   */
  private async enqueue(name: ImportStepName, importId: string): Promise<void> {
    const jobId = importJobId(importId, name);
    await settledWithinOrFail(
      (async () => {
        const previous = await this.queue.getJob(jobId);
        if (previous && FINISHED_STATES.has(await previous.getState())) await previous.remove();
        await this.queue.add(name, { importId } satisfies ImportJobData, { ...IMPORT_JOB_OPTIONS, jobId });
      })(),
      ENQUEUE_TIMEOUT_MS,
    );
  }
}

async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.catch(() => undefined),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function settledWithinOrFail<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
