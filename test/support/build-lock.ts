import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = join(__dirname, '..', '..', 'dist', '.e2e-build.lock');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The suites that build and run the apps from `dist/` (the fault suite, `npm run up`) hold this
 * while they do, so that two jest workers never build over each other's running files. A lock
 * left by a process that died is taken over.
 */
export async function acquireBuildLock(timeoutMs = 10 * 60 * 1000): Promise<() => void> {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return () => rmSync(LOCK, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(LOCK, 'utf8').trim());
      if (!holder || !alive(holder)) rmSync(LOCK, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`dist/ is still being built by process ${holder}`, { cause: error });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
