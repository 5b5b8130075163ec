/** Where the benchmark runs: its own database and queue prefix, never the development ones. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/keydesk_bench';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BENCH_QUEUE_PREFIX = '{keydesk-bench}';
export const BENCH_JWT_SECRET = 'keydesk-benchmark-secret-keydesk-benchmark-secret';
/** Every generated user's password. */
export const BENCH_PASSWORD = 'keydesk-bench';

/** `--name value` from the command line, else the fallback. */
export function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}
