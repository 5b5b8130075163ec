import { applyDecorators, Get, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { TooManyRequestsError } from '@keydesk/common';
import { attachmentDisposition, ExportFile, ExportFormat } from '@keydesk/domain';

/** Exports one API process writes at once: each holds a database connection for as long as its client reads. */
export const MAX_CONCURRENT_EXPORTS = 4;
const RETRY_AFTER_SECONDS = 10;
/** A download that moves no byte for this long has a client that stopped reading: it is ended. */
const STALLED_DOWNLOAD_MS = 60_000;

/** A count of the exports running in this process, refusing one more than the limit. */
export class ExportSlots {
  private running = 0;

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.running;
  }

  /** Takes a slot, or refuses with 429; the returned function gives it back (once, however often called). */
  take(): () => void {
    if (this.running >= this.limit) {
      throw new TooManyRequestsError(
        `${this.limit} exports are already being written; try again shortly`,
        RETRY_AFTER_SECONDS,
      );
    }
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }
}

export const exportSlots = new ExportSlots(MAX_CONCURRENT_EXPORTS);

const logger = new Logger('Exports');

/**
 * Answers with a file from the domain. Until the file is ready (checked, first rows read) any
 * error is thrown, and the error filter answers it as a problem detail; once the headers are out,
 * a failure can only cut the download short, which the client sees as a broken transfer. A
 * client that goes away stops the reading of rows.
 */
export async function sendExport(response: Response, prepare: () => Promise<ExportFile>): Promise<void> {
  const release = exportSlots.take();
  const abort = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) abort.abort();
  };
  response.on('close', onClose);
  let file: ExportFile | undefined;
  try {
    file = await prepare();
    response.status(200);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', attachmentDisposition(file.fileName, file.asciiFileName));
    response.setHeader('Cache-Control', 'no-store');
    // Otherwise a client that stops reading would hold its database connection and slot for ever.
    response.setTimeout(STALLED_DOWNLOAD_MS, () => {
      logger.warn('an export was ended: its client read nothing for a minute');
      abort.abort();
      response.destroy();
    });
    try {
      await file.write(response, abort.signal);
    } catch (error) {
      if (!response.headersSent) {
        // Nothing went out yet: the error filter can still answer, as JSON rather than as a file.
        response.removeHeader('Content-Disposition');
        throw error;
      }
      logger.error(`an export failed while being written: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy();
    }
  } finally {
    response.off('close', onClose);
    try {
      await file?.discard();
    } finally {
      release();
    }
  }
}

const MEDIA_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

const FORMAT_NOTES: Record<ExportFormat, string> = {
  xlsx: 'Row 1 the title (the filter and the moment of export), row 2 the headers (frozen), then the rows.',
  csv: 'UTF-8 with a byte order mark; the header row, then the rows.',
};

/** A GET route answering a file, described as one in the OpenAPI document. */
export function FileRoute(path: string, format: ExportFormat, summary: string, description = ''): MethodDecorator {
  return applyDecorators(
    Get(path),
    ApiOperation({
      summary,
      description: [description, FORMAT_NOTES[format], `More than ${MAX_CONCURRENT_EXPORTS} exports at once: 429.`]
        .filter(Boolean)
        .join(' '),
    }),
    ApiProduces(MEDIA_TYPES[format]),
    ApiOkResponse({ description: 'The file, streamed', schema: { type: 'string', format: 'binary' } }),
  );
}
