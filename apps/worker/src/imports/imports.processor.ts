import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ImportsService } from '@keydesk/domain';
import { IMPORT_JOB, ImportJobData, JobHandlers, QUEUE } from '@keydesk/queue';
import { JobProcessor } from '../jobs/job-processor';

/**
 * Imports, one at a time: a large file's dry run, and every apply (one transaction each). An
 * import never stays `validating` or `applying` after its job is gone: the service ends a job's
 * known failures itself, a job that fails otherwise fails its import here, and the imports whose
 * job vanished with a crashed worker are failed by the housekeeping, at start and then every
 * minute (JobSchedules), which also drops the files of imports that ended a week ago.
 */
@Processor(QUEUE.imports, { autorun: false, concurrency: 1 })
export class ImportsProcessor
  extends JobProcessor<typeof QUEUE.imports>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('imports');
  readonly queue = QUEUE.imports;
  readonly handlers: JobHandlers<typeof QUEUE.imports> = {
    'import-validate': (job) => this.imports.runValidation(job.data.importId),
    'import-apply': (job) => this.imports.runApply(job.data.importId),
    'import-housekeeping': () => this.housekeeping(),
  };

  constructor(private readonly imports: ImportsService) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.housekeeping();
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<ImportJobData> | undefined, error: Error): Promise<void> {
    this.logger.error(`${job?.name ?? 'job'} ${job?.data.importId ?? ''} failed: ${error.message}`);
    if (!job || (job.name !== IMPORT_JOB.validate && job.name !== IMPORT_JOB.apply)) return;
    const step = job.name === IMPORT_JOB.validate ? 'validate' : 'apply';
    await this.imports.failWork(job.data.importId, step).catch((cause: Error) => {
      this.logger.error(`could not mark import ${job.data.importId} failed: ${cause.message}`);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  private async housekeeping(): Promise<void> {
    const { failed, filesDropped } = await this.imports.housekeeping();
    if (failed > 0) this.logger.warn(`${failed} import(s) whose job was lost marked failed`);
    if (filesDropped > 0) this.logger.log(`dropped the files of ${filesDropped} import(s) finished a week ago`);
  }
}
