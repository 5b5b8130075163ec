import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { NotFoundException } from '@nestjs/common';
import helmet from 'helmet';
import { Environment } from '@keydesk/config';
import { boundRequestInput } from './http/input-bounds';
import { problemDetailsMiddleware, sendProblem } from './http/problem-details.filter';
import { requestIdMiddleware, requireJsonBody } from './http/request-id';
import { createValidationPipe } from './http/validation';
import { createOpenApiDocument } from './openapi';
import { serveWebApp } from './web-app';

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
  // The web app needs its own scripts and styles and nothing else: no inline script or style.
  // The API docs page inlines styles, so it alone may; neither page upgrades plain HTTP (a
  // workstation serves it over plain HTTP, where upgrading would break it).
  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:'],
        'style-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'upgrade-insecure-requests': null,
      },
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) =>
    (request.path.startsWith('/api/docs') ? docs : strict)(request, response, next),
  );
  if (env.corsOrigins.length > 0) app.enableCors({ origin: env.corsOrigins });
  app.use(requestIdMiddleware);
  serveWebApp(app);
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  // Bounds the work any body can cause (keys, depth, NUL characters) before validation sees it.
  app.use(boundRequestInput);
  app.use(problemDetailsMiddleware);
  app.use('/api', unknownApiPath);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = createOpenApiDocument(app);
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
