import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { toProblem } from './problem-details';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(error: unknown, request: Request, response: Response): void {
  const { body, headers } = toProblem(error, request.originalUrl ?? request.url);
  if (response.headersSent) return;
  response.status(body.status).set(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Every error thrown in a route, guard or pipe leaves as a problem detail. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<Request>(), http.getResponse<Response>());
  }
}

/** The same for errors raised before Nest routes a request (body parsing). */
export function problemDetailsMiddleware(error: unknown, request: Request, response: Response, next: NextFunction) {
  if (response.headersSent) return next(error);
  sendProblem(error, request, response);
}
