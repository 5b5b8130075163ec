import type { NextFunction, Request, Response } from 'express';
import { FieldError, InvalidInputError } from '@keydesk/common';

/**
 * Bounds on the shape of any JSON body, far above every real form (a visit with 50 demands and
 * 50 problems has about 1 000 values). They are checked right after parsing, before anything
 * walks the body again: class-transformer's key handling grows faster than linearly with the
 * number of keys, and deep nesting overflows its stack.
 */
export const MAX_BODY_DEPTH = 32;
export const MAX_OBJECT_KEYS = 1_000;
export const MAX_BODY_VALUES = 10_000;
/** At most this many field errors are named in one answer; the rest are counted. */
export const MAX_FIELD_ERRORS = 25;

const NUL_MESSAGE = 'must not contain NUL characters';
const MAX_FIELD_LENGTH = 100;

/** A field name as an answer repeats it: a key of half a megabyte is not echoed back whole. */
export function boundedField(field: string): string {
  return field.length > MAX_FIELD_LENGTH ? `${field.slice(0, MAX_FIELD_LENGTH)}…` : field;
}

class BodyTooComplex extends Error {}

interface Walk {
  /** `the request body` or `the query string`, for the messages. */
  what: string;
  values: number;
  nul: FieldError[];
}

/** Depth-first in key order, stopping at the first bound crossed; text with NUL is noted by field. */
function walk(value: unknown, path: string, depth: number, state: Walk): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000') && state.nul.length < MAX_FIELD_ERRORS)
      state.nul.push({ field: boundedField(path), message: NUL_MESSAGE });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_BODY_DEPTH) throw new BodyTooComplex(`${state.what} nests deeper than ${MAX_BODY_DEPTH} levels`);
  if (Array.isArray(value)) {
    state.values += value.length;
    if (state.values > MAX_BODY_VALUES) throw tooManyValues(state);
    value.forEach((item, index) => walk(item, path ? `${path}.${index}` : String(index), depth + 1, state));
    return;
  }
  let keys = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (++keys > MAX_OBJECT_KEYS) {
      throw new BodyTooComplex(`${state.what} has an object with more than ${MAX_OBJECT_KEYS} fields`);
    }
    if (++state.values > MAX_BODY_VALUES) throw tooManyValues(state);
    walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1, state);
  }
}

const tooManyValues = (state: Walk) => new BodyTooComplex(`${state.what} holds more than ${MAX_BODY_VALUES} values`);

/**
 * Refuses, before validation, a body whose shape exceeds the bounds above, and any text with a
 * NUL character in the body or the query string (PostgreSQL cannot store or compare it).
 */
export function boundRequestInput(request: Request, _response: Response, next: NextFunction): void {
  const nul: FieldError[] = [];
  try {
    walk(request.query, '', 1, { what: 'the query string', values: 0, nul });
    walk(request.body, '', 1, { what: 'the request body', values: 0, nul });
  } catch (error) {
    if (error instanceof BodyTooComplex) return next(new InvalidInputError(error.message));
    return next(error);
  }
  if (nul.length) return next(InvalidInputError.fields(nul));
  next();
}
