import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@keydesk/database';
import { migrations } from '../libs/database/src/migrations';
import { isValidCreditCode } from '@keydesk/domain';
import { DEMO_ENTERPRISE_COUNT, seedDemo } from '../apps/cli/src/demo/seed-demo';
import { ADMIN_DATABASE_URL, databaseUrl, runId } from './support/test-env';

describe('migrations and the demo data set', () => {
  const name = `keydesk_test_${runId()}_migrate_w${process.env.JEST_WORKER_ID ?? '1'}`;
  const url = databaseUrl(name);

  beforeAll(async () => {
    const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates the database and migrates it once when two processes start at the same moment', async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    const [first, second] = await Promise.all([runMigrations(url), runMigrations(url)]);
    // One of them applied everything; the other waited for the lock and found nothing to do.
    expect([first.length, second.length].sort()).toEqual([0, migrations.length]);
    expect(await runMigrations(url)).toEqual([]);
  });

  it('loads the demo data set once, with valid credit codes, and refuses a database that has data', async () => {
    const db = await new DataSource(dataSourceOptions(url, 2)).initialize();
    try {
      expect(await seedDemo(db)).toBe(true);
      const enterprises: { creditCode: string; commissionerId: string | null }[] = await db.query(
        'SELECT credit_code AS "creditCode", commissioner_id AS "commissionerId" FROM enterprises',
      );
      expect(enterprises).toHaveLength(DEMO_ENTERPRISE_COUNT);
      expect(enterprises.filter((enterprise) => !isValidCreditCode(enterprise.creditCode))).toEqual([]);
      const districts = await db.query('SELECT count(DISTINCT district_code)::int AS n FROM enterprises');
      expect(districts[0].n).toBeGreaterThanOrEqual(10);
      const roles = await db.query('SELECT role, count(*)::int AS n FROM users GROUP BY role ORDER BY role');
      expect(roles).toEqual([
        { role: 'admin', n: 1 },
        { role: 'commissioner', n: 6 },
        { role: 'supervisor', n: 2 },
      ]);
      const statuses = await db.query(
        `SELECT status, count(*)::int AS n FROM problems GROUP BY status ORDER BY status`,
      );
      expect(statuses.map((row: { status: string }) => row.status)).toEqual([
        'closed',
        'in_progress',
        'open',
        'resolved',
      ]);
      const [overdue] = await db.query(
        `SELECT count(*)::int AS n FROM problems WHERE status IN ('open', 'in_progress') AND due_at < $1`,
        [new Date()], // the demo data is dated by this process's clock, not the database's
      );
      expect(overdue.n).toBeGreaterThan(0);
      const demandStatuses = await db.query(`SELECT DISTINCT status FROM demands ORDER BY status`);
      expect(demandStatuses.map((row: { status: string }) => row.status)).toEqual(['cancelled', 'filled', 'open']);
      const [visits] = await db.query(`SELECT count(*)::int AS n FROM visits`);
      expect(visits.n).toBeGreaterThan(DEMO_ENTERPRISE_COUNT);
      expect(await seedDemo(db)).toBe(false);
      expect(Number((await db.query('SELECT count(*) AS n FROM enterprises'))[0].n)).toBe(DEMO_ENTERPRISE_COUNT);
    } finally {
      await db.destroy();
    }
  });
});
