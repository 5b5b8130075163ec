import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = join(__dirname, '..', '..', 'dist', '.e2e-build.lock');

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const holderOf = (): number | null => {
  try {
    return Number(readFileSync(join(LOCK, 'pid'), 'utf8').trim()) || null;
  } catch {
    return null; // released meanwhile, or its holder has not written its pid yet
  }
};

/**
 * The suites that build and run the apps from `dist/` (the fault suite, `npm run up`) hold this
 * while they do, so that two jest workers never build over each other's running files. Making
 * the directory is the atomic step; a lock whose holder died is taken over by exactly one waiter
 * (the one whose rename succeeds).
 */
export async function acquireBuildLock(timeoutMs = 10 * 60 * 1000): Promise<() => void> {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let unclaimedSince: number | null = null;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf();
      // No pid for long: its maker died between making the directory and writing the pid.
      unclaimedSince = holder === null ? (unclaimedSince ?? Date.now()) : null;
      const abandoned = unclaimedSince !== null && Date.now() - unclaimedSince > 10_000;
      if ((holder !== null && !alive(holder)) || abandoned) {
        const stale = `${LOCK}.stale-${process.pid}`;
        try {
          renameSync(LOCK, stale);
          rmSync(stale, { recursive: true, force: true });
        } catch {
          // another waiter took it over first
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`dist/ is still being built by process ${holder}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
