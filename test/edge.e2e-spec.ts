import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

describe('the HTTP edge', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
  });
  afterAll(() => t.close());

  const expectProblem = (body: Record<string, unknown>, status: number) => {
    expect(body).toEqual(
      expect.objectContaining({
        type: expect.any(String),
        title: expect.any(String),
        status,
        detail: expect.any(String),
        instance: expect.any(String),
      }),
    );
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+|node_modules|QueryFailedError|SELECT |Exception\b/);
  };

  it('answers malformed JSON with a 400 problem detail', async () => {
    const response = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .set('Content-Type', 'application/json')
      .send('{"username": "x",')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expectProblem(response.body, 400);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const response = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ displayName: 'x'.repeat(1024 * 1024 + 10) }))
      .expect(413);
    expectProblem(response.body, 413);
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send('username=admin&password=x')
      .expect(415);
    expectProblem(response.body, 415);
  });

  it('answers an unknown route with a 404 problem detail', async () => {
    const response = await t.http().get('/api/v1/nothing-here').set('Authorization', admin.auth).expect(404);
    expectProblem(response.body, 404);
  });

  it('lists every validation failure by field', async () => {
    const response = await t
      .http()
      .post('/api/v1/enterprises')
      .set('Authorization', admin.auth)
      .send({ name: 1, creditCode: 'x', extra: true })
      .expect(400);
    expectProblem(response.body, 400);
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'creditCode', 'extra', 'tier', 'contactPhone']));
    for (const error of response.body.errors)
      expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
  });

  it('sets security headers, a request id, and no CORS unless configured', async () => {
    const response = await t
      .http()
      .get('/api/v1/health')
      .set('Origin', 'https://elsewhere.example')
      .set('X-Request-Id', 'trace-123')
      .expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['x-request-id']).toBe('trace-123');
  });

  it('audits changes with the request id', async () => {
    await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .set('X-Request-Id', 'req-audit-1')
      .send({ username: 'audited', password: 'long-enough-pass', displayName: 'A', role: 'commissioner' })
      .expect(201);
    const rows = await t.db.query(`SELECT action FROM audit_events WHERE request_id = 'req-audit-1'`);
    expect(rows).toEqual([{ action: 'user.created' }]);
  });

  it('serves the OpenAPI document and the docs page without a token', async () => {
    const json = await t.http().get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/enterprises',
        '/api/v1/enterprises/{id}',
        '/api/v1/enterprises/{id}/history',
        '/api/v1/users',
        '/api/v1/reference/districts',
        '/api/v1/health',
      ]),
    );
    expect(json.body.components.securitySchemes.bearer).toBeDefined();
    const page = await t.http().get('/api/docs').expect(200);
    expect(page.text).toContain('swagger');
  });
});
