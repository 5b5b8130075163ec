/**
 * Errors the domain raises. The API's one exception filter turns each into an RFC 9457
 * problem detail; nothing else decides status codes.
 */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  /**
   * A stable, documented error type (the `type` member of the problem detail),
   * `urn:keydesk:error:<kind>`: named so that it never reads as the domain's "problem" resource.
   */
  abstract readonly type: string;
  abstract readonly title: string;
}

/** Bad input: 400, optionally with the fields at fault. */
export class InvalidInputError extends AppError {
  readonly status = 400;
  readonly type = 'urn:keydesk:error:invalid-input';
  readonly title = 'Invalid input';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }

  static field(field: string, message: string): InvalidInputError {
    return InvalidInputError.fields([{ field, message }]);
  }

  /** One error naming every field at fault; its message lists them all. */
  static fields(errors: FieldError[]): InvalidInputError {
    const message = errors.map((error) => `${error.field} ${error.message}`).join('; ');
    return new InvalidInputError(message || 'the request is not valid', errors);
  }

  /** The errors of an item in a list the request holds (`demands.1.headcount`), named by its place. */
  static async within<T>(prefix: string | undefined, work: () => Promise<T>): Promise<T> {
    if (!prefix) return work();
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw InvalidInputError.fields(error.errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message })));
    }
  }
}

/** Absent, or outside the caller's scope: the two are never told apart. */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly type = 'urn:keydesk:error:not-found';
  readonly title = 'Not found';
  constructor(what: string) {
    super(`${what} was not found`);
  }
}

/** The caller's role may not do this. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly type = 'urn:keydesk:error:forbidden';
  readonly title = 'Forbidden';
}

/** The record changed since the caller read it. */
export class VersionConflictError extends AppError {
  readonly status = 409;
  readonly type = 'urn:keydesk:error:version-conflict';
  readonly title = 'Version conflict';
  constructor(what: string, current: number) {
    super(`${what} was changed by someone else (current version ${current}); reload and try again`);
  }
}

/** The request clashes with the current state (a duplicate, a state that does not allow the action). */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly type = 'urn:keydesk:error:conflict';
  readonly title = 'Conflict';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly type = 'urn:keydesk:error:unauthorized';
  readonly title = 'Unauthorized';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly type = 'urn:keydesk:error:too-many-requests';
  readonly title = 'Too many requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
