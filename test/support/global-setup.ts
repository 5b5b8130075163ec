import { Client } from 'pg';
// globalSetup runs outside jest's module mapping, so the library file is imported by path.
import { runMigrations } from '../../libs/database/src/migrate';
import { ADMIN_DATABASE_URL, databaseUrl, templateDatabase } from './test-env';

/** Migrates one template database per run; every worker clones it (see worker-env.ts and test-app.ts). */
export default async function globalSetup(): Promise<void> {
  process.env.KEYDESK_TEST_RUN ??= `${Date.now().toString(36)}${process.pid}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${templateDatabase()}"`);
    await admin.query(`CREATE DATABASE "${templateDatabase()}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(templateDatabase()));
}
