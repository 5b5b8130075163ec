import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Where `npm run build` puts the web app (apps/web → dist/web), from the directory the API starts in. */
export const WEB_APP_DIR = join(process.cwd(), 'dist', 'web');

/**
 * The web back office at `/`, one origin with the API: every GET outside /api that is not a
 * file answers index.html, so a deep link opens its screen. Absent a build (the API alone in
 * development or in its own tests), nothing is served there.
 *
 * API requests never reach the file server: a static middleware in front of every route would
 * look for each API path on disk first (a `stat` per request, measured on the health check).
 */
export function serveWebApp(app: NestExpressApplication, dir = WEB_APP_DIR): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return;
  const files = express.static(dir, {
    index: false,
    setHeaders: (response, path) => {
      // Built files carry a content hash in their names; index.html is checked on every load.
      const asset = relative(dir, path).startsWith(`assets${sep}`);
      response.setHeader('Cache-Control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // Case-blind, as the router is: /API/v1/... reaches the API, not index.html.
  const isApi = (request: Request) => /^\/api(\/|$)/i.test(request.path);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isApi(request)) next();
    else void files(request, response, next);
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isApi(request) || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index, (error) => {
      if (error && !response.headersSent) next(error);
    });
  });
}
