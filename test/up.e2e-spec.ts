import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { acquireBuildLock, alive } from './support/build-lock';
import { ADMIN_DATABASE_URL, databaseUrl, runId, TEST_REDIS_URL } from './support/test-env';

const ROOT = join(__dirname, '..');
const UP = join(ROOT, 'scripts/up.mjs');
/** A frame of a stack trace, as Node prints one. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const BANNER = /keydesk is up:/;

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

interface Up {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the match once the output matches; rejects if up stops first or the time runs out. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  finished: Promise<Finished>;
}

/** `npm run up` as a newcomer runs it (or `node scripts/up.mjs`), with stdout and stderr in one transcript. */
function startUp(env: NodeJS.ProcessEnv, via: 'node' | 'npm' = 'node'): Up {
  const child =
    via === 'npm'
      ? spawn('npm', ['run', 'up'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [UP], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const finished = new Promise<Finished>((resolve) =>
    child.once('close', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal, output });
    }),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 120000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const listener = () => {
        const match = output.match(pattern);
        if (match) done(undefined, match);
        else if (child.exitCode !== null || child.signalCode !== null)
          done(new Error(`up stopped before ${pattern}:\n${output}`));
      };
      function done(error?: Error, match?: RegExpMatchArray) {
        clearTimeout(timer);
        listeners.delete(listener);
        if (error) reject(error);
        else resolve(match!);
      }
      listeners.add(listener);
      listener();
    });
  return { child, output: () => output, waitFor, finished };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '0.0.0.0');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function holdPort(port: number): Promise<Server> {
  const server = createServer();
  server.listen(port, '0.0.0.0');
  await once(server, 'listening');
  return server;
}

/** Starting the system from the README's first command: what a newcomer sees when it works and when it cannot. */
describe('npm run up', () => {
  const database = `keydesk_test_${runId()}_up`;
  const queuePrefix = `{keydesk-test-${runId()}-up}`;
  let port: number;

  /** This run's own database, key prefix and port; no variable of the test process leaks in. */
  function upEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const key of ['NODE_ENV', 'JWT_SECRET', 'KEYDESK_ADMIN_PASSWORD', 'WEBHOOK_URL', 'WEBHOOK_SECRET'])
      delete env[key];
    return {
      ...env,
      DATABASE_URL: databaseUrl(database),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      PORT: String(port),
      // Never npm ci in the middle of the suite: other suites are using node_modules.
      KEYDESK_UP_SKIP_INSTALL: '1',
      ...overrides,
    };
  }

  let releaseBuild: (() => void) | undefined;

  beforeAll(async () => {
    releaseBuild = await acquireBuildLock();
    port = await freePort();
  }, 600000); // may wait for another suite's build

  afterAll(async () => {
    releaseBuild?.();
    const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).finally(() => admin.end());
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });

  /** Stopped before building the API or starting anything: non-zero, no banner, no stack trace. */
  function expectRefused({ code, output }: Finished): void {
    expect(code).not.toBe(0);
    expect(output).toMatch(/nothing was started: fix the problems above/);
    expect(output).not.toMatch(/building the API|started the API|applying migrations/);
    expect(output).not.toMatch(BANNER);
    expect(output).not.toMatch(STACK_FRAME);
  }

  describe('checks everything before the slow part, names every problem and how to fix it', () => {
    it('a port in use: names it and a free one', async () => {
      const holder = await holdPort(port);
      try {
        const result = await startUp(upEnv()).finished;
        expectRefused(result);
        expect(result.output).toContain(`port ${port} (PORT) is in use by another program`);
        expect(result.output).toMatch(/fix: set PORT to a free port: PORT=\d+ is free now/);
        expect(result.output).toMatch(/ok +PostgreSQL/);
        expect(result.output).toMatch(/ok +Redis/);
      } finally {
        holder.close();
      }
    }, 180000);

    it('PostgreSQL not running: says so for its host and port, and how to start one there', async () => {
      const pgPort = await freePort();
      const result = await startUp(upEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/keydesk` })).finished;
      expectRefused(result);
      expect(result.output).toContain(
        `PostgreSQL at 127.0.0.1:${pgPort} (DATABASE_URL) does not answer: nothing listens there (connection refused)`,
      );
      expect(result.output).toMatch(new RegExp(`(fix|or): .*on port ${pgPort}\\b`));
      expect(result.output).toMatch(/ok +Redis/);
      expect(result.output).toContain('1 problem found.');
    }, 60000);

    it('Redis not running: the hint starts Redis on the port of REDIS_URL', async () => {
      const redisPort = await freePort();
      const result = await startUp(upEnv({ REDIS_URL: `redis://127.0.0.1:${redisPort}` })).finished;
      expectRefused(result);
      expect(result.output).toContain(
        `Redis at 127.0.0.1:${redisPort} (REDIS_URL) does not answer: nothing listens there (connection refused)`,
      );
      expect(result.output).toMatch(new RegExp(`(fix|or): .*redis-server .*--port ${redisPort}\\b`));
      expect(result.output).not.toMatch(/redis-server .*--port 6379\b/);
      expect(result.output).toMatch(/ok +PostgreSQL/);
    }, 60000);

    it('both down: names both', async () => {
      const [pgPort, redisPort] = [await freePort(), await freePort()];
      const result = await startUp(
        upEnv({
          DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/keydesk`,
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        }),
      ).finished;
      expectRefused(result);
      expect(result.output).toContain(`PostgreSQL at 127.0.0.1:${pgPort} (DATABASE_URL) does not answer`);
      expect(result.output).toContain(`Redis at 127.0.0.1:${redisPort} (REDIS_URL) does not answer`);
      expect(result.output).toContain('2 problems found.');
    }, 60000);

    it('an unknown PostgreSQL role: not "start it", but fix the user or create the role', async () => {
      const role = `keydesk_no_such_role_${runId()}`;
      const result = await startUp(upEnv({ DATABASE_URL: `postgres://${role}@127.0.0.1:5432/keydesk` })).finished;
      expectRefused(result);
      expect(result.output).toContain(`PostgreSQL at 127.0.0.1:5432 (DATABASE_URL) has no role "${role}"`);
      expect(result.output).toContain('fix: fix the user name in DATABASE_URL');
      expect(result.output).toContain(
        `or:  create the role: createuser -h 127.0.0.1 -p 5432 -U postgres --createdb ${role}`,
      );
      expect(result.output).not.toMatch(/does not answer|pg_ctlcluster/);
    }, 60000);

    it('bad URLs and a bad PORT: every variable named at once, by the validation the apps use', async () => {
      const result = await startUp(upEnv({ DATABASE_URL: 'not-a-url', REDIS_URL: 'localhost:6379', PORT: 'abc' }))
        .finished;
      expectRefused(result);
      expect(result.output).toContain('DATABASE_URL="not-a-url": must be a postgres:// URL');
      expect(result.output).toContain('REDIS_URL="localhost:6379": must be a redis:// URL');
      expect(result.output).toMatch(/PORT="abc": .*must be an integer number/);
      expect(result.output).toContain('3 problems found.');
      expect(result.output).not.toMatch(/Invalid URL|TypeError/);
    }, 60000);

    it('PORT=abc through npm run up: caught before the API is built, exit code non-zero', async () => {
      const result = await startUp(upEnv({ PORT: 'abc' }), 'npm').finished;
      expectRefused(result);
      expect(result.output).toMatch(/PORT="abc": .*must be an integer number/);
      expect(result.output).toContain('fix: PORT is the API port, a number from 1 to 65535');
    }, 60000);
  });

  describe('running', () => {
    it('prints the banner once the API answers its health check; SIGTERM stops both and exits 0', async () => {
      const up = startUp(upEnv());
      const [, apiPid, workerPid] = await up.waitFor(
        /started the API \(pid (\d+)\) and the worker \(pid (\d+)\)/,
        170000,
      );
      await up.waitFor(BANNER, 60000);
      // The banner came after the API answered: the health check answers now, at once.
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(up.output()).toContain(`docs: http://127.0.0.1:${port}/api/docs`);
      up.child.kill('SIGTERM');
      const { code, output } = await up.finished;
      expect(code).toBe(0);
      expect(output).toMatch(/stopping the API and the worker\n(.*\n)*\[keydesk\] stopped/);
      expect(alive(Number(apiPid))).toBe(false);
      expect(alive(Number(workerPid))).toBe(false);
      expect(output).not.toMatch(STACK_FRAME);
    }, 240000);

    it('Ctrl-C (SIGINT) stops both and exits 0', async () => {
      const up = startUp(upEnv());
      const [, apiPid, workerPid] = await up.waitFor(/started the API \(pid (\d+)\) and the worker \(pid (\d+)\)/);
      await up.waitFor(BANNER, 60000);
      up.child.kill('SIGINT');
      const { code } = await up.finished;
      expect(code).toBe(0);
      expect(alive(Number(apiPid))).toBe(false);
      expect(alive(Number(workerPid))).toBe(false);
    }, 180000);

    it('the worker dying after the banner: stops the API, says so, exits non-zero', async () => {
      const up = startUp(upEnv());
      const [, apiPid, workerPid] = await up.waitFor(/started the API \(pid (\d+)\) and the worker \(pid (\d+)\)/);
      await up.waitFor(BANNER, 60000);
      process.kill(Number(workerPid), 'SIGKILL');
      const { code, output } = await up.finished;
      expect(code).toBe(1);
      expect(output).toContain('the worker was ended by SIGKILL while keydesk was up; stopping the API');
      expect(output).toMatch(/the checks pass: SIGKILL came from outside the worker/);
      expect(alive(Number(apiPid))).toBe(false);
    }, 180000);

    it('the port taken after the check, before the API listens: no banner, the port named, exits non-zero', async () => {
      const up = startUp(upEnv());
      // After the port check and before the API is started: take its port now.
      await up.waitFor(/creating the database if absent and applying migrations/);
      const holder = await holdPort(port);
      try {
        const { code, output } = await up.finished;
        expect(code).toBe(1);
        expect(output).toMatch(/the API exited with code 1 before it answered; stopping the worker/);
        expect(output).toContain(`port ${port} (PORT) is in use by another program`);
        expect(output).toMatch(/fix: set PORT to a free port: PORT=\d+ is free now/);
        expect(output).not.toMatch(BANNER);
      } finally {
        holder.close();
      }
    }, 180000);
  });
});
