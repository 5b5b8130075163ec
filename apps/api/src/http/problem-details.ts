import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { AppError, FieldError, TooManyRequestsError } from '@keydesk/common';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable';

/** An RFC 9457 problem detail as keydesk answers it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
}

export interface ProblemResponse {
  body: ProblemDetails;
  headers: Record<string, string>;
}

const logger = new Logger('Errors');

/**
 * The one place that turns any error into a problem detail. Only what the domain or the
 * HTTP layer chose to say goes out: unknown errors answer a bare 500 and are logged here.
 */
export function toProblem(error: unknown, instance: string): ProblemResponse {
  const headers: Record<string, string> = {};
  if (error instanceof AppError) {
    if (error instanceof TooManyRequestsError) headers['Retry-After'] = String(error.retryAfterSeconds);
    const errors = 'errors' in error && Array.isArray(error.errors) && error.errors.length ? error.errors : undefined;
    return {
      headers,
      body: { type: error.type, title: error.title, status: error.status, detail: error.message, instance, errors },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? String((response as { message: string }).message)
          : (STATUS_CODES[status] ?? 'Error');
    if (status >= 500) logger.error(error.stack ?? String(error));
    // The router's own 404 ("Cannot GET /path") says nothing of the framework to the client.
    const detail = status === 404 && /^Cannot [A-Z]+ \//.test(message) ? 'there is nothing at this path' : message;
    return {
      headers,
      body: generic(status, status >= 500 ? 'the server could not complete the request' : detail, instance),
    };
  }
  if (isDatabaseUnavailable(error)) {
    // PostgreSQL restarting or out of reach: the request may be tried again shortly.
    logger.warn(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    headers['Retry-After'] = String(DATABASE_RETRY_AFTER_SECONDS);
    return {
      headers,
      body: generic(HttpStatus.SERVICE_UNAVAILABLE, 'the service is briefly unavailable; try again shortly', instance),
    };
  }
  const bodyParserStatus = bodyParserErrorStatus(error);
  if (bodyParserStatus) {
    const detail =
      bodyParserStatus === 413
        ? 'the request body is larger than 1 MiB'
        : bodyParserStatus === 415
          ? 'the request body must be JSON in UTF-8'
          : bodyParserStatus === 400 && !isJsonParseError(error)
            ? 'the request body could not be decoded'
            : 'the request body is not valid JSON';
    return { headers, body: generic(bodyParserStatus, detail, instance) };
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return {
    headers,
    body: generic(HttpStatus.INTERNAL_SERVER_ERROR, 'the server could not complete the request', instance),
  };
}

function generic(status: number, detail: string, instance: string): ProblemDetails {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, instance };
}

const isJsonParseError = (error: unknown) => (error as { type?: unknown }).type === 'entity.parse.failed';

/**
 * body-parser marks its errors with `type` and `status`; nothing else of theirs is passed on. A body
 * that does not inflate (`Content-Encoding: gzip` with junk) comes as an http-errors 400 without a type.
 */
function bodyParserErrorStatus(error: unknown): number | null {
  const { type, status, expose } = (error ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  if (type === undefined && status === 400 && expose === true) return 400;
  if (typeof type !== 'string' || typeof status !== 'number') return null;
  if (type === 'entity.too.large') return 413;
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return 415;
  if (type === 'entity.parse.failed' || type === 'entity.verify.failed' || type === 'request.aborted') return 400;
  return status >= 400 && status < 500 ? status : null;
}
