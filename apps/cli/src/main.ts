import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigurationError, validateEnvironment } from '@keydesk/config';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@keydesk/database';
import { check } from './check';
import { DEMO_ENTERPRISE_COUNT, DEMO_PASSWORD, DEMO_USERS, seedDemo } from './demo/seed-demo';

const USAGE = 'usage: main.js <migrate | seed-demo | check [--port-free]>';

/**
 * Operator commands: `migrate` (creates the database if absent, then applies migrations), `seed-demo`,
 * and `check` (the environment, PostgreSQL and Redis, every problem at once; see check.ts).
 */
async function main(command: string): Promise<number> {
  if (command === 'check') return check(process.env, process.argv.slice(3));
  const env = validateEnvironment(process.env);
  switch (command) {
    case 'migrate': {
      if (await ensureDatabase(env.DATABASE_URL)) console.log('created the database');
      const applied = await runMigrations(env.DATABASE_URL, (line) => console.log(line));
      console.log(applied.length ? `${applied.length} migration(s) applied` : 'the schema is up to date');
      return 0;
    }
    case 'seed-demo': {
      const db = await new DataSource(dataSourceOptions(env.DATABASE_URL, 2)).initialize();
      try {
        if (!(await seedDemo(db))) {
          console.log('the database already has users or enterprises; the demo data set was not loaded');
          return 0;
        }
        console.log(`loaded the demo data set: ${DEMO_USERS.length} users, ${DEMO_ENTERPRISE_COUNT} enterprises`);
        console.log(`demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((user) => user.username).join(', ')}`);
        return 0;
      } finally {
        await db.destroy();
      }
    }
    default:
      console.error(USAGE);
      return 64;
  }
}

main(process.argv[2] ?? '').then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(78);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
