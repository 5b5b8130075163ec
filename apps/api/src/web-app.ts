import type { DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` puts the web app (apps/web → dist/web), from the directory the API starts in. */
export const WEB_APP_DIR = join(process.cwd(), 'dist', 'web');

/**
 * The web back office at `/`, one origin with the API: every path outside /api that is not a
 * file answers index.html, so a deep link opens its screen. Absent a build (the API alone in
 * development or in its own tests), nothing is served there.
 */
export function webAppModules(dir = WEB_APP_DIR): DynamicModule[] {
  if (!existsSync(join(dir, 'index.html'))) return [];
  return [
    ServeStaticModule.forRoot({
      rootPath: dir,
      exclude: ['/api/{*path}'],
      serveStaticOptions: {
        index: false,
        setHeaders: (response: ServerResponse, path: string) => {
          // Built files carry a content hash in their names; index.html is checked on every load.
          response.setHeader(
            'Cache-Control',
            path.includes(`${join('web', 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      },
    }),
  ];
}
