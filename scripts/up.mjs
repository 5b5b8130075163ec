#!/usr/bin/env node
// One command from a fresh clone to a running keydesk: installs dependencies, checks that
// PostgreSQL and Redis answer, builds, creates and migrates the database, loads the demo data
// set on an empty database, then runs the API and the worker until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/keydesk',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  PORT: process.env.PORT ?? '3000',
};
const say = (line) => console.log(`[keydesk] ${line}`);
const fail = (lines) => {
  for (const line of [].concat(lines)) console.error(`[keydesk] ${line}`);
  process.exit(1);
};

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) fail(`"${command} ${args.join(' ')}" failed (exit ${result.status})`);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is needed; this is ${process.version}`);

const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  say('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const require = createRequire(join(root, 'package.json'));
const { Client } = require('pg');
const Redis = require('ioredis');

async function checkPostgres() {
  const url = new URL(env.DATABASE_URL);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    fail([
      `PostgreSQL does not answer at ${url.host} (${error.message}).`,
      'Start it, for example: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      'or point DATABASE_URL at a PostgreSQL 15+ server (or run "docker compose -f docker/compose.yaml up").',
    ]);
  }
}

async function checkRedis() {
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const [, policy] = await redis.config('GET', 'maxmemory-policy').catch(() => [null, 'unknown']);
    if (policy !== 'noeviction' && policy !== 'unknown') {
      say(`warning: Redis maxmemory-policy is ${policy}; keydesk's queues need noeviction`);
    }
  } catch (error) {
    fail([
      `Redis does not answer at ${env.REDIS_URL} (${error.message}).`,
      'Start it, for example: redis-server --daemonize yes --bind 127.0.0.1 --port 6379',
      'or point REDIS_URL at a Redis 7 server.',
    ]);
  } finally {
    redis.disconnect();
  }
}

await checkPostgres();
await checkRedis();

say('building the API, the worker and the CLI');
run('npm', ['run', '--silent', 'build']);
say('creating the database if absent and applying migrations');
run('node', ['dist/apps/cli/apps/cli/src/main.js', 'migrate']);
say('loading the demo data set (only into an empty database)');
run('node', ['dist/apps/cli/apps/cli/src/main.js', 'seed-demo']);

const children = [
  spawn('node', ['dist/apps/api/apps/api/src/main.js'], { cwd: root, env, stdio: 'inherit' }),
  spawn('node', ['dist/apps/worker/apps/worker/src/main.js'], { cwd: root, env, stdio: 'inherit' }),
];
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve)))).then(() =>
    process.exit(code),
  );
};
for (const child of children) child.once('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

setTimeout(() => {
  if (stopping) return;
  say('');
  say(`keydesk is up. API docs: http://127.0.0.1:${env.PORT}/api/docs`);
  say('demo logins (password keydesk-demo):');
  say('  admin       administrator');
  say('  sup.city    supervisor, whole city');
  say('  sup.south   supervisor, 南关区 and 朝阳区');
  say('  comm.zhang, comm.liu, comm.chen, comm.yang, comm.zhao, comm.huang   commissioners');
  say('Ctrl-C stops the API and the worker.');
}, 3000);
