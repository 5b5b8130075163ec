import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

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
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
