import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { NotFoundException } from '@nestjs/common';
import helmet from 'helmet';
import { Environment } from '@keydesk/config';
import { boundRequestInput } from './http/input-bounds';
import { problemDetailsMiddleware, sendProblem } from './http/problem-details.filter';
import { requestIdMiddleware, requireJsonBody } from './http/request-id';
import { createValidationPipe } from './http/validation';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';

/**
 * Everything about the HTTP edge that is not a route: shared by main.ts and the e2e tests so
 * that the tests exercise the same application the operators run. Create the app with
 * `bodyParser: false`; the JSON parser is added here with its limit and error handling.
 */
export function setupApp(app: NestExpressApplication): void {
  const env = app.get(Environment);
  app.set('trust proxy', env.TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(
    helmet({
      // The API docs page loads its own script and styles; nothing else here serves HTML.
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          // Served over plain HTTP on a workstation: upgrading would break the docs page.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  if (env.corsOrigins.length > 0) app.enableCors({ origin: env.corsOrigins });
  app.use(requestIdMiddleware);
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  // Bounds the work any body can cause (keys, depth, NUL characters) before validation sees it.
  app.use(boundRequestInput);
  app.use(problemDetailsMiddleware);
  app.use('/api', unknownApiPath);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('keydesk API')
      .setDescription(
        'The back office for serving key enterprises: the ledger, visits, staffing-demand and problem-resolution lists, ' +
          'the dashboard, settings, users and reference data. ' +
          'Log in with POST /api/v1/auth/login, then use "Authorize" with the accessToken. ' +
          'Errors are RFC 9457 problem details (application/problem+json).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  describeErrors(document);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

/**
 * Under /api only /api/v1 and the docs exist; anything else there answers a 404 problem detail
 * here (the router answers those under /api/v1), never the framework's HTML page.
 */
function unknownApiPath(request: Request, response: Response, next: NextFunction): void {
  if (/^\/(v1|docs(-json|-yaml)?)(\/|$)/.test(request.path)) return next();
  sendProblem(new NotFoundException('there is nothing at this path'), request, response);
}

/** Every operation can fail with a problem detail; describe that shape once and point every operation at it. */
function describeErrors(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ProblemDetails = {
    type: 'object',
    description: 'RFC 9457 problem details',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', example: 'urn:keydesk:error:invalid-input' },
      title: { type: 'string', example: 'Invalid input' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'creditCode must be a valid unified social credit code (GB 32100-2015)' },
      instance: { type: 'string', example: '/api/v1/enterprises' },
      errors: {
        type: 'array',
        description: 'Validation failures, by field',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
  for (const path of Object.values(document.paths)) {
    for (const value of Object.values(path) as unknown[]) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const operation = value as { responses: Record<string, unknown> };
      operation.responses.default ??= {
        description:
          'An error: 400 bad input, 401 no or bad token, 403 role may not, 404 absent or out of scope, ' +
          '409 state or version conflict, 413 body too large, 429 too many failed logins',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
      };
    }
  }
}
