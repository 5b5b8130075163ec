import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ConfigurationError, Environment, validateEnvironment } from '@keydesk/config';
import { redisOptions } from '@keydesk/queue';

/** Something that stops keydesk from starting, and what to do about it. */
export interface Finding {
  problem: string;
  fixes: string[];
}

interface Outcome {
  ok?: string;
  warnings?: string[];
  finding?: Finding;
}

const CONNECT_TIMEOUT_MS = 5000;
const MIN_POSTGRES_VERSION = 150000;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '']);

const VARIABLE_FIXES: Record<string, string> = {
  DATABASE_URL:
    'DATABASE_URL is postgres://user[:password]@host[:port]/database, e.g. postgres://postgres@127.0.0.1:5432/keydesk (the default when unset)',
  REDIS_URL:
    'REDIS_URL is redis://[[user]:password@]host[:port][/db], e.g. redis://127.0.0.1:6379 (the default when unset)',
  PORT: 'PORT is the API port, a number from 1 to 65535, e.g. PORT=3000 (the default when unset)',
  NODE_ENV: 'NODE_ENV is development, test or production',
  JWT_SECRET: 'JWT_SECRET is at least 32 random characters, e.g. JWT_SECRET=$(openssl rand -hex 32)',
};
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'KEYDESK_ADMIN_PASSWORD', 'WEBHOOK_SECRET']);

/**
 * `check [--port-free]`: validates the environment exactly as the API, the worker and the CLI do,
 * then tries PostgreSQL and Redis as they would connect (and, with --port-free, that the API's
 * port can be listened on), all at once. Prints every problem found, each with what to do about
 * it, and answers 0 only when there is none.
 */
export async function check(raw: NodeJS.ProcessEnv, args: string[]): Promise<number> {
  const defaults = new Environment();
  const setting = (key: 'DATABASE_URL' | 'REDIS_URL' | 'PORT') => raw[key] || String(defaults[key]);
  const outcomes: Outcome[] = [];
  const invalid = new Set<string>();
  try {
    const env = validateEnvironment(raw);
    outcomes.push({ ok: `configuration (NODE_ENV=${env.NODE_ENV})` });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    for (const finding of configurationFindings(error.problems, raw, invalid)) outcomes.push({ finding });
  }
  const probes: Promise<Outcome>[] = [];
  if (!invalid.has('DATABASE_URL')) probes.push(checkPostgres(setting('DATABASE_URL')));
  if (!invalid.has('REDIS_URL')) probes.push(checkRedis(setting('REDIS_URL')));
  if (args.includes('--port-free') && !invalid.has('PORT')) probes.push(checkPort(Number(setting('PORT'))));
  outcomes.push(...(await Promise.all(probes)));

  for (const outcome of outcomes) {
    if (outcome.ok) console.log(`ok       ${outcome.ok}`);
    for (const warning of outcome.warnings ?? []) console.log(`warning  ${warning}`);
  }
  const findings = outcomes.flatMap((outcome) => (outcome.finding ? [outcome.finding] : []));
  for (const { problem, fixes } of findings) {
    console.error(`problem  ${problem}`);
    fixes.forEach((fix, index) => console.error(`  ${index === 0 ? 'fix:' : 'or: '} ${fix}`));
  }
  if (findings.length > 0) {
    console.error(findings.length === 1 ? '1 problem found.' : `${findings.length} problems found.`);
    return 1;
  }
  return 0;
}

/** The validation's messages, one finding per variable, with its value unless it is a secret. */
function configurationFindings(problems: string[], raw: NodeJS.ProcessEnv, invalid: Set<string>): Finding[] {
  const byVariable = new Map<string, string[]>();
  for (const problem of problems) {
    const variable = problem.split(' ')[0];
    byVariable.set(variable, [...(byVariable.get(variable) ?? []), problem.slice(variable.length + 1)]);
  }
  return [...byVariable].map(([variable, messages]) => {
    invalid.add(variable);
    const value = raw[variable];
    const shown =
      value === undefined || value === ''
        ? variable
        : SECRET_VARIABLES.has(variable)
          ? `${variable} (${value.length} characters)`
          : `${variable}=${JSON.stringify(withoutPassword(value))}`;
    return {
      problem: `${shown}: ${messages.join('; ')}`,
      fixes: [VARIABLE_FIXES[variable] ?? `see the table of variables in README.md for ${variable}`],
    };
  });
}

/** A URL with its password masked, for messages. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function errorCode(error: unknown): string | undefined {
  const { code, errors } = (error ?? {}) as { code?: unknown; errors?: unknown[] };
  if (typeof code === 'string') return code;
  return (errors ?? []).map(errorCode).find(Boolean);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const { errors } = (error ?? {}) as { errors?: unknown[] };
  if (errors?.length) return errors.map(errorMessage).join('; ');
  return String(error);
}

const TIMED_OUT = `no answer within ${CONNECT_TIMEOUT_MS / 1000} s (connection timed out)`;
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there (connection refused)',
  ENOTFOUND: 'the host name does not resolve (unknown host)',
  EAI_AGAIN: 'the host name could not be looked up (DNS did not answer)',
  ETIMEDOUT: TIMED_OUT,
  EHOSTUNREACH: 'the host cannot be reached from here (no route)',
  ENETUNREACH: 'the host cannot be reached from here (no route)',
  ENOENT: 'no such socket file',
};

/** Causes common to both servers: nothing listening, unknown host, no answer, unreachable. */
function networkCause(code: string | undefined, message: string): string | undefined {
  if (code && NETWORK_CAUSES[code]) return NETWORK_CAUSES[code];
  return /timeout|timed out/i.test(message) ? TIMED_OUT : undefined;
}

/** How to reach a server on another host, by cause. */
function remoteFixes(cause: string, variable: string, service: string, address: string): string[] {
  if (cause.includes('unknown host') || cause.includes('DNS'))
    return [`fix the host name in ${variable}`, `check this machine's name resolution (getent hosts <host>)`];
  return [
    `make sure ${service} runs on ${address} and accepts connections from this machine (firewall, listen address)`,
    `fix the host and port in ${variable}`,
  ];
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** Is something accepting TCP connections there? (A quick look, for hints only.) */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 500 });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** Debian's PostgreSQL clusters on this machine (/etc/postgresql/<version>/<name>) and their ports. */
function debianClusters(): { version: string; name: string; port: number }[] {
  const base = '/etc/postgresql';
  const clusters: { version: string; name: string; port: number }[] = [];
  try {
    for (const version of readdirSync(base)) {
      for (const name of readdirSync(join(base, version))) {
        const conf = join(base, version, name, 'postgresql.conf');
        if (!existsSync(conf)) continue;
        const port = /^\s*port\s*=\s*(\d+)/m.exec(readFileSync(conf, 'utf8'))?.[1];
        clusters.push({ version, name, port: port ? Number(port) : 5432 });
      }
    }
  } catch {
    // No Debian-style PostgreSQL here.
  }
  return clusters;
}

async function checkPostgres(databaseUrl: string): Promise<Outcome> {
  let database: string;
  let client: Client;
  try {
    // As the migrator does: the target database's name from the URL, a first connection to `postgres`.
    const url = new URL(databaseUrl);
    database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    url.pathname = '/postgres';
    client = new Client({
      connectionString: url.toString(),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'keydesk-check',
    });
  } catch (error) {
    return {
      finding: {
        problem: `DATABASE_URL=${JSON.stringify(withoutPassword(databaseUrl))} is not a valid URL (${errorMessage(error)})`,
        fixes: [VARIABLE_FIXES.DATABASE_URL],
      },
    };
  }
  if (!database) {
    return {
      finding: { problem: 'DATABASE_URL names no database', fixes: [VARIABLE_FIXES.DATABASE_URL] },
    };
  }
  const host = client.host;
  const port = client.port;
  const user = client.user ?? 'postgres';
  const socket = host.startsWith('/');
  const address = socket ? `${host}/.s.PGSQL.${port}` : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    return { finding: await postgresFinding(error, { databaseUrl, host, port, user, address, socket }) };
  }
  try {
    const [row] = (
      await client.query<{ version: string; version_num: string; exists: boolean; may_create: boolean | null }>(
        `SELECT current_setting('server_version') AS version,
                current_setting('server_version_num') AS version_num,
                EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists,
                (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user) AS may_create`,
        [database],
      )
    ).rows;
    const version = row.version.split(' ')[0];
    if (Number(row.version_num) < MIN_POSTGRES_VERSION) {
      return {
        finding: {
          problem: `PostgreSQL at ${address} is version ${version}; keydesk needs 15 or newer`,
          fixes: ['upgrade that server, or point DATABASE_URL at a PostgreSQL 15+ server'],
        },
      };
    }
    if (!row.exists && !row.may_create) {
      return {
        finding: {
          problem: `database "${database}" does not exist at ${address}, and role "${user}" may not create it`,
          fixes: [
            `create it for that role: createdb -h ${host} -p ${port} -U postgres -O ${user} ${database}`,
            `let the role create databases: ALTER ROLE "${user}" CREATEDB`,
          ],
        },
      };
    }
    const what = row.exists ? `database ${database} exists` : `database ${database} will be created`;
    return { ok: `PostgreSQL ${version} at ${address} as ${user}: ${what}` };
  } catch (error) {
    return {
      finding: {
        problem: `PostgreSQL at ${address} answered, but a first query failed: ${errorMessage(error)}`,
        fixes: ['check that role\'s privileges on the "postgres" database'],
      },
    };
  } finally {
    await client.end().catch(() => {});
  }
}

interface PostgresTarget {
  databaseUrl: string;
  host: string;
  port: number;
  user: string;
  address: string;
  socket: boolean;
}

async function postgresFinding(error: unknown, target: PostgresTarget): Promise<Finding> {
  const { host, port, user, address } = target;
  const code = errorCode(error);
  const message = errorMessage(error);
  const at = `PostgreSQL at ${address} (DATABASE_URL)`;
  const cause = networkCause(code, message);
  const local = target.socket || LOCAL_HOSTS.has(host);
  const garbled = cause === TIMED_OUT || code === 'ECONNRESET' || /terminated unexpectedly/i.test(message);
  if (garbled && !target.socket && (await answers(probeHost(host), port))) {
    return {
      problem: `${at}: something listens there, but it does not answer as PostgreSQL: ${cause ?? message}`,
      fixes: [
        `check the port in DATABASE_URL (PostgreSQL's default is 5432)`,
        ...(local ? (await postgresElsewhere(target)).filter((fix) => fix.includes('did you mean')) : []),
      ],
    };
  }
  if (cause) {
    return {
      problem: `${at} does not answer: ${cause}`,
      fixes: local ? await localPostgresFixes(target) : remoteFixes(cause, 'DATABASE_URL', 'PostgreSQL', address),
    };
  }
  if (code === '28P01') {
    return {
      problem: `${at} refused the password of user "${user}" (password authentication failed)`,
      fixes: [
        `fix the password in DATABASE_URL: postgres://${user}:PASSWORD@${address}/<database> (percent-encode @ : / in it)`,
        `set that role's password on the server: ALTER ROLE "${user}" PASSWORD '...'`,
      ],
    };
  }
  if (code === '28000' && /role .* does not exist/.test(message)) {
    return {
      problem: `${at} has no role "${user}" (${message})`,
      fixes: [
        `fix the user name in DATABASE_URL (postgres://USER@${address}/<database>)`,
        `create the role: createuser -h ${host} -p ${port} -U postgres --createdb ${user}`,
      ],
    };
  }
  if (code === '28000') {
    return {
      problem: `${at} does not admit user "${user}" (${message})`,
      fixes: [
        "allow this connection in the server's pg_hba.conf (host, user, database, SSL) and reload it",
        'connect as a user and from an address it admits (DATABASE_URL)',
      ],
    };
  }
  if (code === '3D000') {
    return {
      problem: `${at} has no "postgres" database, which keydesk connects to first to create its own (${message})`,
      fixes: [`create it: createdb -h ${host} -p ${port} -U ${user} postgres`],
    };
  }
  if (code === '57P03') {
    return {
      problem: `${at} is starting up or shutting down (${message})`,
      fixes: ['wait a few seconds and try again'],
    };
  }
  if (code === '53300') {
    return {
      problem: `${at} has no connection slot left (${message})`,
      fixes: ['close idle connections or raise max_connections on that server'],
    };
  }
  if (/password must be a string|no password was provided|password authentication/i.test(message)) {
    return {
      problem: `${at} asks user "${user}" for a password, and DATABASE_URL gives none`,
      fixes: [
        `put it in DATABASE_URL: postgres://${user}:PASSWORD@${address}/<database>`,
        `let "${user}" in without one from this machine (pg_hba.conf)`,
      ],
    };
  }
  if (/ssl/i.test(message)) {
    return {
      problem: `${at}: the TLS settings do not match the server's (${message})`,
      fixes: ['match sslmode in DATABASE_URL to the server (e.g. drop ?sslmode=require for a server without TLS)'],
    };
  }
  return {
    problem: `${at} refused the connection: ${message}`,
    fixes: ['check the server and the user, password and host in DATABASE_URL'],
  };
}

/** The URL with another port, to suggest it; only when it carries no password (never printed). */
function withPort(url: string, port: number): string | undefined {
  const other = new URL(url);
  if (other.password) return undefined;
  other.port = String(port);
  return other.toString();
}

const probeHost = (host: string) => (host === 'localhost' || host === '0.0.0.0' ? '127.0.0.1' : host);
const startCluster = (c: { version: string; name: string }) =>
  `pg_ctlcluster --skip-systemctl-redirect ${c.version} ${c.name} start`;

/** Did you mean another port? This machine's PostgreSQL clusters (Debian), or else the default port. */
async function postgresElsewhere({ databaseUrl, host, port, socket }: PostgresTarget): Promise<string[]> {
  if (socket) return [];
  const clusters = debianClusters().filter((cluster) => cluster.port !== port);
  const candidates = clusters.length > 0 ? clusters : port === 5432 ? [] : [{ version: '', name: '', port: 5432 }];
  const fixes: string[] = [];
  for (const cluster of candidates) {
    const url = withPort(databaseUrl, cluster.port);
    const use = url ? `DATABASE_URL=${url}` : `port ${cluster.port} in DATABASE_URL`;
    const which = `this machine's PostgreSQL ${cluster.version} cluster ${cluster.name}`;
    if (await answers(probeHost(host), cluster.port)) {
      const what = cluster.version ? `the port of ${which}` : "PostgreSQL's default port";
      fixes.push(`something answers on ${probeHost(host)}:${cluster.port}, ${what}: did you mean ${use}?`);
    } else if (cluster.version) {
      fixes.push(`${which} is set up for port ${cluster.port}: start it (${startCluster(cluster)}) and use ${use}`);
    }
  }
  return fixes;
}

/** PostgreSQL on this machine does not answer at that port: start it there, or did you mean another port? */
async function localPostgresFixes(target: PostgresTarget): Promise<string[]> {
  const { host, port, socket } = target;
  const here = debianClusters().find((cluster) => cluster.port === port);
  if (here) {
    return [
      `start this machine's PostgreSQL ${here.version} (cluster ${here.name}, port ${port}): ${startCluster(here)}`,
      'on a machine with systemd: systemctl start postgresql',
    ];
  }
  const bind = socket ? '' : `${probeHost(host)}:`;
  return [
    ...(await postgresElsewhere(target)),
    onPath('docker')
      ? `run PostgreSQL 15+ on port ${port}: docker run -d --name keydesk-postgres -p ${bind}${port}:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16`
      : `start a PostgreSQL 15+ server on port ${port} (Debian/Ubuntu: apt-get install postgresql)`,
    'point DATABASE_URL at the PostgreSQL server you have',
  ];
}

async function checkRedis(redisUrl: string): Promise<Outcome> {
  let redis: Redis;
  let address: string;
  try {
    // The options the apps use, failing fast instead of retrying.
    const options = redisOptions(redisUrl, false);
    address = `${options.host?.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    redis = new Redis({
      ...options,
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
  } catch (error) {
    return {
      finding: {
        problem: `REDIS_URL=${JSON.stringify(withoutPassword(redisUrl))} is not a valid URL (${errorMessage(error)})`,
        fixes: [VARIABLE_FIXES.REDIS_URL],
      },
    };
  }
  const host = redis.options.host ?? '127.0.0.1';
  const port = redis.options.port ?? 6379;
  const errors: unknown[] = [];
  redis.on('error', (error) => errors.push(error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    // ioredis rejects with "Connection is closed."; the cause is in the error events before it.
    const cause = errors.find((e) => errorCode(e)) ?? errors.at(-1) ?? error;
    redis.disconnect();
    return { finding: await redisFinding(cause, { redisUrl, host, port, address }) };
  }
  try {
    const warnings: string[] = [];
    // INFO and CONFIG may be refused to this user (ACLs, managed services): then they are not checked.
    const info = await redis.info('server').catch(() => '');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    if (version !== 'unknown' && Number(version.split('.')[0]) < 7)
      warnings.push(`Redis at ${address} is version ${version}; keydesk needs 7+`);
    const policy = await redis
      .config('GET', 'maxmemory-policy')
      .then((reply) => (reply as string[])[1])
      .catch(() => undefined);
    if (policy && policy !== 'noeviction') {
      warnings.push(
        `Redis at ${address} has maxmemory-policy ${policy}; keydesk's queues need noeviction (CONFIG SET maxmemory-policy noeviction)`,
      );
    }
    return { ok: `Redis ${version} at ${address}`, warnings };
  } finally {
    redis.disconnect();
  }
}

async function redisFinding(
  error: unknown,
  { redisUrl, host, port, address }: { redisUrl: string; host: string; port: number; address: string },
): Promise<Finding> {
  const code = errorCode(error);
  const message = errorMessage(error);
  const at = `Redis at ${address} (REDIS_URL)`;
  const cause = networkCause(code, message);
  const local = LOCAL_HOSTS.has(host);
  const bind = probeHost(host);
  const didYouMean = async () => {
    if (!local || port === 6379 || !(await answers(bind, 6379))) return [];
    const url = withPort(redisUrl, 6379);
    return [
      `something answers on ${bind}:6379, Redis's default port: did you mean ${url ? `REDIS_URL=${url}` : 'port 6379 in REDIS_URL'}?`,
    ];
  };
  const garbled = cause === TIMED_OUT || code === 'ECONNRESET' || /^Protocol error/.test(message);
  if (garbled && (await answers(bind, port))) {
    return {
      problem: `${at}: something listens there, but it does not answer as Redis: ${cause ?? message}`,
      fixes: ["check the port in REDIS_URL (Redis's default is 6379)", ...(await didYouMean())],
    };
  }
  if (cause) {
    if (!local)
      return { problem: `${at} does not answer: ${cause}`, fixes: remoteFixes(cause, 'REDIS_URL', 'Redis', address) };
    const fixes = await didYouMean();
    fixes.push(
      onPath('redis-server')
        ? `start Redis on that port: redis-server --daemonize yes --bind ${bind} --port ${port} --save "" --appendonly no`
        : `start a Redis 7 server on that port (Debian/Ubuntu: apt-get install redis-server; redis-server --daemonize yes --bind ${bind} --port ${port})`,
    );
    if (onPath('docker')) fixes.push(`run it: docker run -d --name keydesk-redis -p ${bind}:${port}:6379 redis:7`);
    fixes.push('point REDIS_URL at the Redis you have');
    return { problem: `${at} does not answer: ${cause}`, fixes };
  }
  const url = new URL(redisUrl);
  if (/^NOAUTH/.test(message)) {
    return {
      problem: `${at} asks for a password, and REDIS_URL gives none (${message})`,
      fixes: [`put it in REDIS_URL: redis://:PASSWORD@${address} (or redis://USER:PASSWORD@${address} with ACL users)`],
    };
  }
  if (/^WRONGPASS|invalid password|invalid username/i.test(message)) {
    if (!url.username) {
      return {
        problem: `${at} refused the password (${message})`,
        fixes: [
          `fix the password in REDIS_URL: redis://:PASSWORD@${address} (the server's requirepass; percent-encode @ : / in it)`,
        ],
      };
    }
    const user = decodeURIComponent(url.username);
    return {
      problem: `${at} refused the credentials of user "${user}" (${message})`,
      fixes: [
        `fix the user name and password in REDIS_URL: redis://USER:PASSWORD@${address} (percent-encode @ : / in them)`,
        `create that user on the server: ACL SETUSER ${user} on >PASSWORD ~* &* +@all`,
      ],
    };
  }
  if (/ssl|tls|certificate|wrong version number/i.test(message)) {
    return {
      problem: `${at}: the TLS settings do not match the server's (${message})`,
      fixes: ['use redis:// for a server without TLS, rediss:// for one with it'],
    };
  }
  return {
    problem: `${at} refused the connection: ${message}`,
    fixes: ['check the server and the address and credentials in REDIS_URL'],
  };
}

/** Can the API listen on its port? (The same address it binds: every IPv4 interface.) */
function listenError(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

async function checkPort(port: number): Promise<Outcome> {
  const error = await listenError(port);
  if (!error) return { ok: `port ${port} is free for the API` };
  if (error.code === 'EACCES') {
    return {
      finding: {
        problem: `port ${port} (PORT) needs privileges this user does not have`,
        fixes: ['set PORT to a port above 1023, e.g. PORT=3000'],
      },
    };
  }
  if (error.code !== 'EADDRINUSE') {
    return {
      finding: {
        problem: `the API cannot listen on port ${port} (PORT): ${error.message}`,
        fixes: ['set PORT to another port'],
      },
    };
  }
  let free: number | undefined;
  for (let candidate = port + 1; candidate <= Math.min(port + 50, 65535) && !free; candidate++) {
    if (!(await listenError(candidate))) free = candidate;
  }
  return {
    finding: {
      problem: `port ${port} (PORT) is in use by another program: the API could not listen on it`,
      fixes: [
        free ? `set PORT to a free port: PORT=${free} is free now` : 'set PORT to a free port',
        `stop the program that holds it (ss -ltnp 'sport = :${port}' names it)`,
      ],
    },
  };
}
