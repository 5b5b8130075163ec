import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** The Node flags operators run the API and the worker with (`npm run start:api`, the image). */
export const PRODUCTION_NODE_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { config: { nodeFlags: string } }
).config.nodeFlags;

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb: () => number;
  stop: () => Promise<void>;
}

/** Starts a built entry point with the given environment and waits for `ready` to hold. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  ready: () => Promise<boolean>,
): Promise<Started> {
  let output = '';
  // Node's own flags for the processes under test: those `npm run start:api` / `start:worker` give
  // (package.json's config.nodeFlags, the heap cap), or BENCH_NODE_FLAGS instead (`--trace-gc`, another cap).
  const flags = (process.env.BENCH_NODE_FLAGS ?? PRODUCTION_NODE_FLAGS).split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // BENCH_LOG_DIR keeps each process's whole output (with BENCH_NODE_FLAGS=--trace-gc, say) for a closer look.
  const log = process.env.BENCH_LOG_DIR
    ? createWriteStream(join(process.env.BENCH_LOG_DIR, `${script.split('/').at(-1)}-${child.pid}.log`))
    : undefined;
  if (log) {
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${output}`);
    if (await ready().catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`${script} did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    output: () => output,
    peakRssMb: () => peakRss(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function peakRss(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return match ? Math.round(Number(match[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

export async function httpReady(url: string): Promise<boolean> {
  const response = await fetch(url);
  return response.status === 200;
}
