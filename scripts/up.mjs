#!/usr/bin/env node
// One command from a fresh clone to a running keydesk: installs dependencies, builds the CLI and
// checks the environment, PostgreSQL, Redis and the API's port (every problem at once, before the
// rest of the build), builds the API, the worker and the web app, creates and migrates the database,
// loads the demo data set on an empty database, then runs the API and the worker until Ctrl-C. The
// web app's address (the API serves it at /) is printed once GET /api/v1/health answers; if the API
// or the worker stops on its own, this stops the other, says why and exits non-zero.
//
//   node scripts/up.mjs [--build]    --build: rebuild even when dist/ matches the sources
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forceBuild = process.argv.includes('--build');
const env = { ...process.env };
const say = (line) => console.log(`[keydesk] ${line}`);
const complain = (line) => console.error(`[keydesk] ${line}`);
const fail = (lines, code = 1) => {
  for (const line of [].concat(lines)) complain(line);
  process.exit(code);
};

const NODE_MAJOR = 24;
if (Number(process.versions.node.split('.')[0]) < NODE_MAJOR) {
  fail([
    `keydesk needs Node.js ${NODE_MAJOR} (LTS); this is ${process.version}.`,
    `Install it, e.g. npm install -g --prefix /usr/local node@${NODE_MAJOR} (and keep /usr/local/bin ahead on PATH),`,
    `or with a version manager (nvm install ${NODE_MAJOR}; fnm, nodenv and mise read .node-version), then run npm run up again.`,
  ]);
}

const CLI = 'dist/apps/cli/src/main.js';
// The heap cap the API and the worker run with everywhere (package.json's config.nodeFlags);
// KEYDESK_NODE_FLAGS replaces it, as for npm run start:api.
const NODE_FLAGS = (
  process.env.KEYDESK_NODE_FLAGS ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config.nodeFlags
)
  .split(' ')
  .filter(Boolean);
const NAMES = { cli: 'CLI', api: 'API', worker: 'worker', web: 'web app' };
const MAIN = {
  cli: CLI,
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  web: 'dist/web/index.html',
};

/** Runs a step to completion; a failing step ends the run with its exit code (its own output says why). */
function run(what, command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status === 0) return;
  const how = result.signal
    ? `was stopped by ${result.signal}`
    : `failed (exit code ${result.status ?? result.error?.code})`;
  fail(`${what} ${how}; see above.`, result.status || 1);
}

// --- Dependencies: installed when node_modules does not hold this package-lock.json. A checkout
// that only touches the lockfile's time does not count: after an install this script keeps the
// lockfile's hash beside it. KEYDESK_UP_SKIP_INSTALL=1 leaves node_modules alone (the test suite
// runs this script while other suites use node_modules).
const installed = join(root, 'node_modules', '.package-lock.json');
const installedLock = join(root, 'node_modules', '.keydesk-lock-hash');
const lockHash = createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');
const needsInstall = () => {
  if (!existsSync(installed)) return true;
  if (existsSync(installedLock)) return readFileSync(installedLock, 'utf8').trim() !== lockHash;
  return statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs;
};
if (process.env.KEYDESK_UP_SKIP_INSTALL === '1') {
  if (!existsSync(installed)) fail('node_modules is missing: run npm ci (or leave KEYDESK_UP_SKIP_INSTALL unset).');
} else if (needsInstall()) {
  say('installing dependencies (npm ci)');
  run('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(installedLock, `${lockHash}\n`);
}

// --- Builds: skipped when dist/ was built by this script from exactly the sources there are now. ---
// Each app's stamp holds a hash of every file the build reads (apps/, libs/, the tsconfigs, nest-cli.json,
// the lockfiles) taken before it started, and the time its main file was then written: an edit (even one
// made during the build), a new or deleted file, other dependencies, or a build by anything else since,
// all mean a rebuild.
const stamps = join(root, 'dist', '.up-stamps');
const SKIPPED = new Set(['node_modules', 'dist', 'test-results', 'playwright-report']);
const sources = sourcesHash();

function sourcesHash() {
  const files = [
    'package-lock.json',
    'node_modules/.package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'nest-cli.json',
  ];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      // Not sources: dependencies, builds, and what the browser journeys write (results, screenshots).
      if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk('apps');
  walk('libs');
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    const path = join(root, file);
    hash
      .update(`${file}\0`)
      .update(existsSync(path) ? readFileSync(path) : '(absent)')
      .update('\0');
  }
  return hash.digest('hex');
}

function upToDate(app) {
  const main = join(root, MAIN[app]);
  try {
    const stamp = JSON.parse(readFileSync(join(stamps, `${app}.json`), 'utf8'));
    return stamp.sources === sources && statSync(main).mtimeMs === stamp.mainWrittenAt;
  } catch {
    return false;
  }
}

function build(apps) {
  const stale = forceBuild ? apps : apps.filter((app) => !upToDate(app));
  const names = (list) =>
    list
      .map((app) => `the ${NAMES[app]}`)
      .join(', ')
      .replace(/, ([^,]*)$/, ' and $1');
  const current = apps.filter((app) => !stale.includes(app));
  if (current.length) say(`dist/ already holds ${names(current)} built from these sources (--build rebuilds)`);
  if (stale.length === 0) return;
  say(`building ${names(stale)}`);
  const nest = join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  for (const app of stale) {
    if (app === 'web') run(`building the ${NAMES[app]}`, process.execPath, [vite, 'build', join(root, 'apps', 'web')]);
    else run(`building the ${NAMES[app]}`, process.execPath, [nest, 'build', app]);
    mkdirSync(stamps, { recursive: true });
    const stamp = { sources, mainWrittenAt: statSync(join(root, MAIN[app])).mtimeMs };
    writeFileSync(join(stamps, `${app}.json`), `${JSON.stringify(stamp)}\n`);
  }
}

/** The CLI's `check`: the apps' own validation of the environment, then PostgreSQL, Redis and the port. */
function check() {
  return spawnSync(process.execPath, [CLI, 'check', '--port-free'], { cwd: root, env, stdio: 'inherit' }).status === 0;
}

// The CLI first (a third of the build): its `check` finds what would stop keydesk before the rest is built.
build(['cli']);
say('checking the configuration, PostgreSQL, Redis and the API port');
if (!check()) fail('nothing was started: fix the problems above, then run npm run up again.');
build(['api', 'worker', 'web']);
say('creating the database if absent and applying migrations');
run('the migration', process.execPath, [CLI, 'migrate']);
say('loading the demo data set (only into an empty database)');
run('loading the demo data set', process.execPath, [CLI, 'seed-demo']);

// --- Running: the API and the worker until Ctrl-C, SIGTERM, or one of them stops. ---
const port = Number(env.PORT || 3000);
const health = `http://127.0.0.1:${port}/api/v1/health`;
const HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

const children = ['API', 'worker'].map((name) => {
  const child = spawn(process.execPath, [...NODE_FLAGS, name === 'API' ? MAIN.api : MAIN.worker], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  child.name = name;
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return child;
});
const [api, worker] = children;
say(`started the API (pid ${api.pid}) and the worker (pid ${worker.pid}); waiting for ${health}`);

let up = false;
let stopping = false;

async function stopChildren() {
  const alive = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of alive) child.kill('SIGTERM');
  const timedOut = Symbol();
  const all = Promise.all(alive.map((child) => child.exited));
  if ((await Promise.race([all, sleep(STOP_TIMEOUT_MS, timedOut)])) === timedOut) {
    for (const child of alive) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      complain(`the ${child.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
      child.kill('SIGKILL');
    }
    await all;
  }
}

/** Ctrl-C or SIGTERM: stop both, exit 0. (Ctrl-C in a terminal reaches the API and the worker too.) */
function stopOnRequest() {
  if (stopping) return;
  stopping = true;
  say('stopping the API and the worker');
  void stopChildren().then(() => {
    say('stopped');
    process.exit(0);
  });
}
process.on('SIGINT', stopOnRequest);
process.on('SIGTERM', stopOnRequest);
// `npm run up` runs this under a shell that dies at once on a SIGTERM sent to npm, leaving this process
// behind: when the parent goes, stop as if asked to.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stopOnRequest(), 1000).unref();

/** One of them stopped on its own: stop the other, find out why if the environment says, exit non-zero. */
for (const child of children) {
  void child.exited.then(async ({ code, signal }) => {
    if (stopping) return;
    // Ctrl-C in a terminal reaches every process of the group; the child may see it first.
    if (signal === 'SIGINT') return stopOnRequest();
    stopping = true;
    const how = signal ? `was ended by ${signal}` : `exited with code ${code}`;
    const other = children.find((c) => c !== child);
    const when = up ? 'while keydesk was up' : child === api ? 'before it answered' : 'before the API answered';
    complain(`the ${child.name} ${how} ${when}; stopping the ${other.name}`);
    await stopChildren();
    say('checking the configuration, PostgreSQL, Redis and the API port again');
    if (check()) {
      complain(
        signal
          ? `the checks pass: ${signal} came from outside the ${child.name} (another program, or the kernel's out-of-memory killer).`
          : `the checks pass: the ${child.name}'s own output above says why it stopped.`,
      );
    } else {
      complain('fix the problems above, then run npm run up again.');
    }
    process.exit(1);
  });
}

function describeHealth(status, body) {
  const down = Object.entries(body?.error ?? {}).map(
    ([name, detail]) => `${name}: ${detail?.message ?? detail?.status ?? 'down'}`,
  );
  return down.length ? `HTTP ${status} (${down.join('; ')})` : `HTTP ${status}`;
}

const deadline = performance.now() + HEALTH_TIMEOUT_MS;
let last;
let reported = '';
while (!stopping) {
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(2000) });
    if (response.ok) break;
    last = describeHealth(response.status, await response.json().catch(() => undefined));
    if (last !== reported) complain(`the API answers but is not healthy yet: ${last}`);
    reported = last;
  } catch (error) {
    last = error?.cause?.code ?? error?.name ?? String(error);
  }
  if (performance.now() > deadline) {
    stopping = true;
    complain(
      `the API did not answer ${health} with 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}); stopping`,
    );
    await stopChildren();
    process.exit(1);
  }
  await sleep(300);
}

if (!stopping) {
  up = true;
  say('');
  say(`keydesk is up: http://127.0.0.1:${port}/`);
  say(`API: http://127.0.0.1:${port}/api/v1   docs: http://127.0.0.1:${port}/api/docs`);
  say('demo logins (password keydesk-demo):');
  say('  admin       administrator');
  say('  sup.city    supervisor, whole city');
  say('  sup.south   supervisor, 南关区 and 朝阳区');
  say('  comm.zhang, comm.liu, comm.chen, comm.yang, comm.zhao, comm.huang   commissioners');
  say('Ctrl-C stops the API and the worker.');
}
