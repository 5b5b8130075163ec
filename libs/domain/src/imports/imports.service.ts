import { createHash, type Hash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { AppError, Clock, ConflictError, ForbiddenError, NotFoundError } from '@keydesk/common';
import type {
  ImportCellError,
  ImportCounts,
  ImportFormat,
  ImportMode,
  ImportState,
  ImportUpdate,
} from '@keydesk/database';
import { IMPORT_JOB, ImportQueue } from '@keydesk/queue';
import type { Actor } from '../access/actor';
import { isManager } from '../access/scope';
import { AuditRepository } from '../repositories/audit.repository';
import { ImportRecord, ImportsRepository } from '../repositories/imports.repository';
import { ReferenceRepository } from '../repositories/reference.repository';
import { UsersRepository } from '../repositories/users.repository';
import { attachmentDisposition } from '../spreadsheets/cells';
import { TransactionContext } from '../transactions/transaction-context';
import { EnterpriseImportPlanner, MAX_IMPORT_ROWS, PlannedRow, RowOutcome } from './enterprise-import.planner';
import { EnterpriseImportWriter } from './enterprise-import.writer';
import { FileTooLargeError, ImportFailure, ImportFileGoneError, QueueUnavailableError } from './import-errors';
import { detectImportFormat, inspectImportFile, readSheetRows, type SheetRow } from './import-file';
import { ImportView } from './import.view';
import { writeEnterpriseTemplate, writeImportReport } from './import-workbooks';

/** The largest upload: 20 MiB. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/**
 * Files whose text to parse is at most this large are validated within the upload request,
 * larger ones by the worker: a CSV's bytes, an .xlsx's XML once inflated (about as many rows).
 */
export const INLINE_VALIDATION_BYTES: Record<ImportFormat, number> = { csv: 1024 * 1024, xlsx: 4 * 1024 * 1024 };
/** Progress is written every so many rows. */
const PROGRESS_EVERY_ROWS = 2000;
/** The answer lists this many errors and updates; the report has them all. */
const LISTED = 100;
/** Enterprises named to the reminders one by one; more than this and they sweep. */
const NAMED_CHANGES = 1000;
/** A working import untouched this long, with no job, was abandoned (a crash, a lost enqueue). */
const ABANDONED_AFTER_MS = 60 * 1000;
/** An applied or failed import keeps its file this long (its report can be downloaded until then). */
export const IMPORT_FILE_KEPT_MS = 7 * 24 * 3600 * 1000;

const OUTCOME_NAMES: Record<RowOutcome, string> = { C: '新增', U: '更新', N: '不变', I: '有误' };

/** A file to import, as uploaded. */
export interface ImportUpload {
  fileName: string;
  bytes: Buffer;
}

/** A file to download: its name (and an ASCII fallback) and how to write it. */
export interface ImportDownload {
  contentDisposition: string;
  write: (output: Writable) => Promise<void>;
}

/** What a pass over the rows found: the counts, the first errors and updates, and the plan. */
class PlanSummary {
  readonly counts: ImportCounts = { create: 0, update: 0, unchanged: 0, invalid: 0 };
  readonly errors: ImportCellError[] = [];
  readonly updates: ImportUpdate[] = [];
  private readonly outcomes: string[] = [];
  private readonly digest: Hash = createHash('sha256');
  rows = 0;

  add(row: PlannedRow): void {
    this.rows += 1;
    this.outcomes.push(row.outcome);
    // The plan as decided: each row's outcome, and the enterprise version and commissioner it
    // was decided on. An apply that finds another digest would write something else.
    this.digest.update(
      `${row.row}|${row.outcome}|${row.existing?.id ?? ''}|${row.existing?.version ?? ''}|${row.commissionerId ?? ''}|${row.reassignTo ?? ''}\n`,
    );
    switch (row.outcome) {
      case 'C':
        this.counts.create += 1;
        break;
      case 'U':
        this.counts.update += 1;
        if (this.updates.length < LISTED) {
          this.updates.push({
            row: row.row,
            creditCode: row.creditCode,
            name: row.name,
            fields: row.changedColumns ?? [],
          });
        }
        break;
      case 'N':
        this.counts.unchanged += 1;
        break;
      case 'I':
        this.counts.invalid += 1;
        for (const fault of row.faults) {
          if (this.errors.length < LISTED) this.errors.push({ row: row.row, ...fault });
        }
        break;
    }
  }

  plan(): { outcomes: string; planDigest: string } {
    return { outcomes: this.outcomes.join(''), planDigest: this.digest.digest('hex') };
  }
}

/**
 * Spreadsheet imports of the ledger. An upload is stored and dry-run (within the request when
 * small, else by the worker): what each row would do, with every fault. Applying it re-reads the
 * file and writes, in one transaction, exactly the plan the dry run showed: if anything it rests
 * on has moved since (an enterprise edited, a credit code added, a commissioner deactivated), the
 * import fails and nothing of it is written.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger('imports');

  constructor(
    private readonly tx: TransactionContext,
    private readonly imports: ImportsRepository,
    private readonly planner: EnterpriseImportPlanner,
    private readonly writer: EnterpriseImportWriter,
    private readonly reference: ReferenceRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly queue: ImportQueue,
    private readonly clock: Clock,
  ) {}

  /** The template, as a download (supervisors and admins). */
  async template(actor: Actor): Promise<ImportDownload> {
    assertMayImport(actor);
    const [districts, industries] = await Promise.all([this.reference.districts(), this.reference.industries()]);
    return {
      contentDisposition: attachmentDisposition('企业台账导入模板.xlsx', 'enterprises-import-template.xlsx'),
      write: (output) => writeEnterpriseTemplate(output, { districts, industries }),
    };
  }

  /**
   * Takes a file of enterprises for a dry run. 415 for a file of another type, 413 over 20 MB or
   * 200 000 rows (or inflating beyond the limits); a small file is validated at once (400 if its
   * header lacks a required column), a larger one is left `validating` for the worker.
   */
  async upload(actor: Actor, upload: ImportUpload): Promise<ImportView> {
    assertMayImport(actor);
    const { bytes } = upload;
    if (bytes.length > MAX_IMPORT_BYTES) throw new FileTooLargeError('文件超过 20 MB 的上限，请拆分后分批导入');
    const format = detectImportFormat(bytes, upload.fileName);
    const shape = await inspectImportFile(format, bytes);
    const estimate = shape.dataRows;
    if (estimate > MAX_IMPORT_ROWS) {
      throw new FileTooLargeError(`文件约有 ${estimate} 行数据，超过 ${MAX_IMPORT_ROWS} 行的上限，请拆分后分批导入`);
    }
    const values = {
      kind: 'enterprises' as const,
      fileName: [...upload.fileName.trim()].slice(-255).join('') || `enterprises.${format}`,
      format,
      file: bytes,
      createdBy: actor.id,
      rowsTotal: estimate,
      at: this.clock.now(),
    };
    if (shape.textBytes <= INLINE_VALIDATION_BYTES[format]) {
      // One transaction: a file refused as a whole leaves nothing behind.
      const id = await this.tx.run(async () => {
        const id = await this.imports.insert(values);
        await this.validateRows(id, actor, format, bytes, false);
        return id;
      });
      return this.get(actor, id);
    }
    const id = await this.tx.run(() => this.imports.insert(values));
    try {
      await this.queue.validate(id);
    } catch (error) {
      await this.imports.delete(id);
      this.logger.warn(`import ${id} not queued: ${(error as Error).message}`);
      throw new QueueUnavailableError('任务队列暂不可用，请稍后重新上传');
    }
    return this.get(actor, id);
  }

  /** The import, to its creator or an admin; anyone else is told it does not exist. */
  async get(actor: Actor, id: string): Promise<ImportView> {
    return toView(await this.visible(actor, id));
  }

  /**
   * The dry run's report as a workbook: the file's rows with the 错误说明 column, bad cells red.
   * 410 once the file has been dropped (a week after the import ended, or was last touched unapplied).
   */
  async report(actor: Actor, id: string): Promise<ImportDownload> {
    const record = await this.visible(actor, id);
    if (record.planDigest === null) throw new ConflictError('文件尚未校验完毕，还没有校验报告');
    const bytes = record.hasFile ? await this.imports.fileOf(id) : null;
    if (!bytes) throw new ImportFileGoneError('上传的文件已在 7 天后删除，不能再下载校验报告');
    // The file's first row is read before any byte of the report goes out: a file that cannot be
    // read is then answered as an error, not as a download cut short.
    const rows = await started(readSheetRows(record.format, bytes));
    const stem = record.fileName.replace(/\.[^.]*$/, '');
    return {
      contentDisposition: attachmentDisposition(`${stem}-校验报告.xlsx`, 'import-report.xlsx'),
      write: (output) => writeImportReport(output, rows, (row, limit) => this.imports.rowErrorsAfter(id, row, limit)),
    };
  }

  /**
   * Asks the worker to write a validated import: `all` (the default) only when no row is invalid
   * (409 otherwise), `valid-rows` leaving the invalid rows out. Answers the import, `applying`.
   */
  async apply(actor: Actor, id: string, mode: ImportMode = 'all'): Promise<ImportView> {
    const record = await this.visible(actor, id);
    if (record.state !== 'validated') {
      throw new ConflictError(`导入当前为「${STATE_NAMES[record.state]}」状态，不能再执行导入`);
    }
    if (!record.hasFile) {
      throw new ImportFileGoneError('上传的文件已在 7 天后删除，请重新上传后再导入');
    }
    if (mode === 'all' && record.counts.invalid > 0) {
      throw new ConflictError(
        `有 ${record.counts.invalid} 行数据有误：全部导入要求所有行都正确。请修正后重新上传，或选择只导入正确的行`,
      );
    }
    const now = this.clock.now();
    if (
      !(await this.imports.changeState(id, ['validated'], 'applying', now, { mode, rowsDone: 0, appliedBy: actor.id }))
    ) {
      throw new ConflictError('导入的状态刚刚发生了变化，请刷新后再试');
    }
    try {
      await this.queue.apply(id);
    } catch (error) {
      await this.imports.changeState(id, ['applying'], 'validated', now);
      this.logger.warn(`import ${id} not queued: ${(error as Error).message}`);
      throw new QueueUnavailableError('任务队列暂不可用，请稍后再试');
    }
    return this.get(actor, id);
  }

  /** The worker's dry run of a large file. Safe to run twice: a finished one is left alone. */
  async runValidation(id: string): Promise<void> {
    try {
      await this.tx.run(async () => {
        await this.imports.lockWork(id);
        const record = await this.imports.find(id);
        if (record?.state !== 'validating') return;
        const actor = await this.importer(record);
        await this.validateRows(id, actor, record.format, await this.fileOf(id), true, record.rowsTotal);
      });
    } catch (error) {
      await this.fail(id, 'validating', error, '读取文件时出错，请检查文件后重新上传');
    }
  }

  /**
   * The worker's apply: the file read again and planned again, in one transaction, with every
   * enterprise it touches locked as it is read; any row whose outcome differs from the dry run,
   * or an enterprise changed since, ends the import `failed` with nothing written. The rows are
   * planned and written as their uploader (in their scope, as the dry run was; the enterprises'
   * revisions and events name them); the `import.applied` event names who asked for the apply.
   */
  async runApply(id: string): Promise<void> {
    try {
      await this.tx.run(async () => {
        await this.imports.lockWork(id);
        const record = await this.imports.find(id);
        if (record?.state !== 'applying') return;
        const actor = await this.importer(record);
        const planned = await this.imports.outcomesOf(id);
        const bytes = await this.fileOf(id);
        const now = this.clock.now();
        const summary = new PlanSummary();
        const changed: string[] = [];
        let tooMany = false;
        let reported = 0;
        for await (const batch of this.planner.plan(readSheetRows(record.format, bytes), actor, true)) {
          for (const row of batch) {
            const before = planned[summary.rows] as RowOutcome | undefined;
            summary.add(row);
            if (before !== row.outcome) {
              throw new ImportFailure(
                `第 ${row.row} 行在校验之后发生了变化（校验时为「${before ? OUTCOME_NAMES[before] : '无'}」，现在为「${OUTCOME_NAMES[row.outcome]}」），未写入任何数据。请重新上传文件校验`,
              );
            }
          }
          const ids = await this.writer.write(
            actor,
            id,
            batch.filter((row) => row.outcome === 'C' || row.outcome === 'U'),
            now,
          );
          if (!tooMany) changed.push(...ids);
          if (changed.length > NAMED_CHANGES) {
            tooMany = true;
            changed.length = 0;
          }
          if (summary.rows - reported >= PROGRESS_EVERY_ROWS) {
            reported = summary.rows;
            await this.imports.reportProgress(id, summary.rows, record.rowsTotal);
          }
        }
        if (summary.rows !== planned.length || summary.plan().planDigest !== record.planDigest) {
          throw new ImportFailure('自校验以来，文件涉及的企业在台账中已有改动，未写入任何数据。请重新上传文件校验');
        }
        const applier = await this.applier(record, actor);
        await this.audit.record(applier, 'import.applied', { type: 'import', id }, now, {
          mode: record.mode,
          fileName: record.fileName,
          counts: { ...summary.counts },
          uploadedBy: record.createdById,
        });
        await this.imports.changeState(id, ['applying'], 'applied', now, { appliedAt: now, rowsDone: summary.rows });
        this.tx.publish({ type: 'ledger.imported', importId: id, enterpriseIds: tooMany ? null : changed });
      });
    } catch (error) {
      await this.fail(id, 'applying', error, '导入时出错，未写入任何数据，请稍后重新上传');
    }
  }

  /** A job that failed outside its own handling (it crashed, or gave up): its import must not stay working. */
  async failWork(id: string, step: 'validate' | 'apply'): Promise<void> {
    const state = step === 'validate' ? 'validating' : 'applying';
    await this.imports.changeState(id, [state], 'failed', this.clock.now(), {
      failure: step === 'validate' ? '读取文件时出错，请重新上传' : '导入时出错，未写入任何数据，请重新上传',
    });
  }

  /**
   * The worker's upkeep (at its start, then every minute): imports whose job was lost fail, and
   * the files of imports applied or failed a week ago are dropped.
   */
  async housekeeping(): Promise<{ failed: number; filesDropped: number }> {
    const failed = await this.failAbandoned();
    const before = new Date(this.clock.now().getTime() - IMPORT_FILE_KEPT_MS);
    const filesDropped = await this.imports.dropFilesUntouchedSince(before);
    return { failed, filesDropped };
  }

  /**
   * Imports left `validating` or `applying` whose job is gone (the process running it died, or
   * the enqueue after the upload was lost) fail, rather than wait forever.
   */
  async failAbandoned(): Promise<number> {
    const now = this.clock.now();
    let failed = 0;
    for (const { id, state } of await this.imports.unfinishedSince(new Date(now.getTime() - ABANDONED_AFTER_MS))) {
      const job = state === 'validating' ? IMPORT_JOB.validate : IMPORT_JOB.apply;
      if (await this.queue.isPending(id, job)) continue;
      const failure = '处理被中断（服务重启或出错），未写入任何数据，请重新上传';
      if (await this.imports.changeState(id, [state], 'failed', now, { failure })) failed += 1;
    }
    return failed;
  }

  private async validateRows(
    id: string,
    actor: Actor,
    format: ImportFormat,
    bytes: Buffer,
    reportProgress: boolean,
    rowsTotal = 0,
  ): Promise<void> {
    await this.imports.deleteRowErrors(id);
    const summary = new PlanSummary();
    let reported = 0;
    for await (const batch of this.planner.plan(readSheetRows(format, bytes), actor, false)) {
      for (const row of batch) summary.add(row);
      await this.imports.insertRowErrors(
        id,
        batch.filter((row) => row.outcome === 'I').map((row) => ({ row: row.row, errors: row.faults })),
      );
      if (reportProgress && summary.rows - reported >= PROGRESS_EVERY_ROWS) {
        reported = summary.rows;
        await this.imports.reportProgress(id, summary.rows, rowsTotal);
      }
    }
    await this.imports.saveValidation(id, {
      rowsTotal: summary.rows,
      counts: summary.counts,
      errors: summary.errors,
      updates: summary.updates,
      ...summary.plan(),
      at: this.clock.now(),
    });
  }

  private async fileOf(id: string): Promise<Buffer> {
    const bytes = await this.imports.fileOf(id);
    if (!bytes) throw new ImportFailure('上传的文件已删除，请重新上传');
    return bytes;
  }

  /** The person who uploaded the import, as they are now: their scope decides what may be written. */
  private async importer(record: ImportRecord): Promise<Actor> {
    const user = await this.users.findById(record.createdById);
    if (!user || !user.active || (user.role !== 'supervisor' && user.role !== 'admin')) {
      throw new ImportFailure('上传此文件的账号已停用或已不是科室负责人、管理员，不能继续导入');
    }
    return { id: user.id, username: user.username, role: user.role, districtCodes: user.districtCodes };
  }

  /** Who asked for the apply (the uploader, or an admin): the `import.applied` event is theirs. */
  private async applier(record: ImportRecord, uploader: Actor): Promise<Actor> {
    if (record.appliedById === null || record.appliedById === uploader.id) return uploader;
    const user = await this.users.findById(record.appliedById);
    if (!user) return uploader;
    return { id: user.id, username: user.username, role: user.role, districtCodes: user.districtCodes };
  }

  /** Ends a working import as failed, with a message its uploader can act on; an unexpected error is also thrown on. */
  private async fail(id: string, state: ImportState, error: unknown, fallback: string): Promise<void> {
    const known = error instanceof ImportFailure || error instanceof AppError;
    const failure = known ? error.message : fallback;
    await this.imports.changeState(id, [state], 'failed', this.clock.now(), { failure });
    if (!known) throw error;
  }

  private async visible(actor: Actor, id: string): Promise<ImportRecord> {
    assertMayImport(actor);
    const record = await this.imports.find(id);
    if (!record || (record.createdById !== actor.id && actor.role !== 'admin')) throw new NotFoundError('Import');
    return record;
  }
}

const STATE_NAMES: Record<ImportState, string> = {
  validating: '校验中',
  validated: '已校验',
  applying: '导入中',
  applied: '已导入',
  failed: '失败',
};

/** The rows with the first one already read (and any failure to read the file already thrown). */
async function started(rows: AsyncGenerator<SheetRow>): Promise<AsyncGenerator<SheetRow>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

function assertMayImport(actor: Actor): void {
  if (!isManager(actor)) throw new ForbiddenError('only supervisors and admins import spreadsheets');
}

function toView(record: ImportRecord): ImportView {
  return {
    id: record.id,
    kind: record.kind,
    fileName: record.fileName,
    state: record.state,
    rowsTotal: record.rowsTotal,
    rowsDone: record.rowsDone,
    counts: record.counts,
    errors: record.errors,
    updates: record.updates,
    mode: record.mode,
    failure: record.failure,
    createdBy: { id: record.createdById, displayName: record.createdByName },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    appliedAt: record.appliedAt,
  };
}
