import { AppError } from '@keydesk/common';

/** The upload is not a file the import reads: 415, saying what is accepted. */
export class UnsupportedFileTypeError extends AppError {
  readonly status = 415;
  readonly type = 'urn:keydesk:error:unsupported-file-type';
  readonly title = 'Unsupported file type';
}

/** The upload is larger than an import takes (20 MB, 200 000 rows): 413. */
export class FileTooLargeError extends AppError {
  readonly status = 413;
  readonly type = 'urn:keydesk:error:file-too-large';
  readonly title = 'File too large';
}

/** The import's file has been dropped (a week after the import ended): 410, its report is gone for good. */
export class ImportFileGoneError extends AppError {
  readonly status = 410;
  readonly type = 'urn:keydesk:error:gone';
  readonly title = 'Gone';
}

/** The job queue did not take the work: nothing was started, the request may be tried again. */
export class QueueUnavailableError extends AppError {
  readonly status = 503;
  readonly type = 'urn:keydesk:error:queue-unavailable';
  readonly title = 'Service unavailable';
}

/**
 * Why an import cannot go on, in Chinese for the person who uploaded it: the import ends
 * `failed` with this as its `failure`, and nothing of it is written.
 */
export class ImportFailure extends Error {}
