import { Client } from 'pg';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { TcpProxy } from './support/tcp-proxy';
import { createTestApp, TestApp } from './support/test-app';
import { databaseUrl, workerDatabase } from './support/test-env';

/**
 * While PostgreSQL restarts, its connections are refused or terminated. The API then says
 * "try again shortly" (503 with Retry-After), as a problem document that names nothing inside,
 * rather than a 500; and it serves again as soon as PostgreSQL is back.
 */
describe('the API while PostgreSQL is unreachable', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let admin: TestUser;
  let enterprise: CreatedEnterprise;

  beforeAll(async () => {
    // The API reaches its own test database through a relay that the test can cut.
    const target = new URL(databaseUrl(workerDatabase()));
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const real = process.env.DATABASE_URL;
    const relayed = new URL(databaseUrl(workerDatabase()));
    relayed.hostname = '127.0.0.1';
    relayed.port = String(port);
    process.env.DATABASE_URL = relayed.toString();
    try {
      t = await createTestApp();
    } finally {
      process.env.DATABASE_URL = real;
    }
    admin = await createUser(t, 'admin');
    enterprise = await createEnterprise(t, admin.auth, { districtCode: '220102' });
  });
  afterAll(async () => {
    await restore();
    await t?.close();
    await proxy?.cut();
  });

  /** PostgreSQL "goes away" for this API only, and comes back. */
  let relayUp = true;
  const cut = async () => {
    relayUp = false;
    await proxy.cut();
  };
  const restore = async () => {
    if (relayUp || !proxy) return;
    await proxy.start();
    relayUp = true;
  };

  const write = () =>
    t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/problems`)
      .set('Authorization', admin.auth)
      .timeout(15000)
      .send({ title: '重启期间登记的问题', category: 'other' });
  const read = () =>
    t.http().get(`/api/v1/enterprises/${enterprise.id}`).set('Authorization', admin.auth).timeout(15000);

  const expectUnavailable = (response: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    text: string;
  }) => {
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
      status: 503,
      type: expect.stringContaining('application/problem+json'),
    });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.body).toMatchObject({ status: 503, title: 'Service Unavailable', instance: expect.any(String) });
    expect(response.text).not.toMatch(/ECONN|postgres|pg_|5432|127\.0\.0\.1|connect|terminat|stack|at /i);
  };

  it('answers writes and reads 503 with Retry-After while connections are refused, and serves again after', async () => {
    await cut();
    expectUnavailable(await write());
    expectUnavailable(await read());
    await restore();
    await write().expect(201);
    await read().expect(200);
  });

  it('answers 503, never 500, when PostgreSQL terminates the connections in use', async () => {
    await read().expect(200);
    const client = new Client({ connectionString: databaseUrl('postgres') });
    await client.connect();
    try {
      // The relay's connections are the API's (and only they reach this database through it).
      await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [workerDatabase()],
      );
    } finally {
      await client.end();
    }
    // Until the pool notices, a request may meet a dead connection: 503 then, never 500.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await write();
      if (response.status !== 201) expectUnavailable(response);
      statuses.push(response.status);
    }
    expect(statuses.at(-1)).toBe(201);
  });

  it('tells nothing of PostgreSQL in the answer while it is down, with or without a token', async () => {
    await cut();
    try {
      const anonymous = await t.http().get('/api/v1/enterprises').timeout(15000);
      expect([401, 503]).toContain(anonymous.status);
      if (anonymous.status === 503) expectUnavailable(anonymous);
      expectUnavailable(await t.http().get('/api/v1/problems').set('Authorization', admin.auth).timeout(15000));
    } finally {
      await restore();
    }
  });

  it('has /health answer 503 naming PostgreSQL as down, with nothing of the driver in it, and 200 once it is back', async () => {
    await cut();
    try {
      const down = await t.http().get('/api/v1/health').timeout(15000);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        status: 'error',
        error: { postgres: { status: 'down', message: expect.stringMatching(/^(timeout|unreachable)$/) } },
        info: { redis: { status: 'up' } },
      });
      expect(down.text).not.toMatch(/ECONN|5432|127\.0\.0\.1|connect|terminat|stack/i);
    } finally {
      await restore();
    }
    const back = await t.http().get('/api/v1/health').timeout(15000);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'ok', error: {} });
  });
});
