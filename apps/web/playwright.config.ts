import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

// The journeys run in Debian's Chromium against the built web app, served by the built API (with
// the worker) on a fresh database loaded with the demo data: `npm run up` on its own port, the
// database and queue prefix named once per run (workers inherit the variables), dropped at the end.
// KEYDESK_BROWSER_ORIGIN points the journeys at a system that is already running instead.
const root = fileURLToPath(new URL('../..', import.meta.url));
const external = process.env.KEYDESK_BROWSER_ORIGIN;
const port = Number(process.env.KEYDESK_BROWSER_PORT ?? 3190);
process.env.KEYDESK_BROWSER_RUN ??= `${Date.now()}`;
const run = process.env.KEYDESK_BROWSER_RUN;
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const browserRun = {
  database: new URL(`/keydesk_browser_${run}`, adminUrl).toString(),
  queuePrefix: `{keydesk-browser-${run}}`,
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/output',
  // Two cores run the API, the worker, PostgreSQL and the browser: one journey at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalTeardown: external ? undefined : './e2e/support/teardown.ts',
  use: {
    baseURL: external ?? `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    locale: 'zh-CN',
    // Not the bureau's zone, on purpose: every time shown must still be Beijing time.
    timezoneId: 'America/Los_Angeles',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: external
    ? undefined
    : {
        command: `node ${root}scripts/up.mjs`,
        cwd: root,
        url: `http://127.0.0.1:${port}/api/v1/health`,
        timeout: 300_000,
        reuseExistingServer: false,
        stdout: 'ignore',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
        env: {
          KEYDESK_UP_SKIP_INSTALL: '1',
          DATABASE_URL: browserRun.database,
          REDIS_URL: browserRun.redisUrl,
          QUEUE_PREFIX: browserRun.queuePrefix,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
        },
      },
});
