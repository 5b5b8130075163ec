/**
 * Names of the per-run, per-worker PostgreSQL databases and Redis prefixes, so that test
 * workers (and two runs on one machine) never share state.
 */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function runId(): string {
  const id = process.env.KEYDESK_TEST_RUN;
  if (!id) throw new Error('KEYDESK_TEST_RUN is not set: run the e2e suites through jest');
  return id;
}

export const templateDatabase = () => `keydesk_test_${runId()}_template`;
export const workerDatabase = () => `keydesk_test_${runId()}_w${process.env.JEST_WORKER_ID ?? '1'}`;
export const workerQueuePrefix = () => `{keydesk-test-${runId()}-w${process.env.JEST_WORKER_ID ?? '1'}}`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
