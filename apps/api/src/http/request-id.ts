import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const INCOMING = /^[A-Za-z0-9._-]{1,64}$/;

/** Every request has an id: the caller's `X-Request-Id` when sane, else a new one. It is echoed and audited. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-request-id');
  const id = incoming && INCOMING.test(incoming) ? incoming : randomUUID();
  (request as Request & { id: string }).id = id;
  response.setHeader('X-Request-Id', id);
  next();
}

/** The routes that take a file as multipart/form-data (their own interceptor parses it). */
const UPLOAD_PATHS = new Set(['/api/v1/imports/enterprises']);

const isUpload = (request: Request) =>
  UPLOAD_PATHS.has(request.path.replace(/\/+$/, '')) && Boolean(request.is('multipart/form-data'));

/** A body sent as anything but JSON (or a file where one is uploaded) answers 415 instead of reaching validation empty. */
export function requireJsonBody(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'];
  if (hasBody && !request.is('application/json') && !request.is('application/*+json') && !isUpload(request)) {
    next(Object.assign(new Error('unsupported media type'), { type: 'encoding.unsupported', status: 415 }));
    return;
  }
  next();
}
