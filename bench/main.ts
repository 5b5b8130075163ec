import 'reflect-metadata';
import { argument } from './env';
import { runBench } from './harness';
import { seedBench } from './seed';

const USAGE =
  'usage: main.js <seed --enterprises N | run [--duration S] [--connections N] [--only NAME] [--skip-reminders] [--skip-files]>';

/** The benchmark's commands: `seed` fills the bench database, `run` drives the built API against it. */
async function main(command: string): Promise<number> {
  switch (command) {
    case 'seed':
      await seedBench(Number(argument('enterprises', '10000')));
      return 0;
    case 'run':
      await runBench({
        duration: Number(argument('duration', '10')),
        connections: Number(argument('connections', '16')),
        warmup: Number(argument('warmup', '3')),
        skipReminders: process.argv.includes('--skip-reminders'),
        skipFiles: process.argv.includes('--skip-files'),
        only: argument('only', ''),
      });
      return 0;
    default:
      console.error(USAGE);
      return 64;
  }
}

main(process.argv[2] ?? '').then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
