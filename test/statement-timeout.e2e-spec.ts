import { Client } from 'pg';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

/** A query that runs past the statement timeout is cancelled; the caller gets a plain 500 and nothing else. */
describe('a database statement timeout', () => {
  let t: TestApp;
  let admin: TestUser;
  let enterprise: CreatedEnterprise;
  const previous = process.env.DATABASE_STATEMENT_TIMEOUT_MS;

  beforeAll(async () => {
    process.env.DATABASE_STATEMENT_TIMEOUT_MS = '500';
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    enterprise = await createEnterprise(t, admin.auth);
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
    else process.env.DATABASE_STATEMENT_TIMEOUT_MS = previous;
    await t?.close();
  });

  it('answers a clean 500 problem document with no internals, and changes nothing', async () => {
    // Another session holds the enterprise's row: the change waits on it until the timeout.
    const other = new Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM enterprises WHERE id = $1 FOR UPDATE', [enterprise.id]);
      const started = Date.now();
      const response = await t
        .http()
        .patch(`/api/v1/enterprises/${enterprise.id}`)
        .set('Authorization', admin.auth)
        .send({ address: '长春市南关区人民大街 1 号', version: enterprise.version });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'the server could not complete the request',
        instance: `/api/v1/enterprises/${enterprise.id}`,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/statement|timeout|cancel|SELECT|UPDATE/i);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    // The API goes on serving, and the change was not made.
    const after = await t
      .http()
      .get(`/api/v1/enterprises/${enterprise.id}`)
      .set('Authorization', admin.auth)
      .expect(200);
    expect(after.body.address).toBe(enterprise.address);
    expect(after.body.version).toBe(enterprise.version);
  });
});
