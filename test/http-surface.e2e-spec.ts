import { createUser, TEST_PASSWORD, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

/** What every client notices at the edge: caching of credentials, and paths that do not exist. */
describe('the HTTP surface', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
  });
  afterAll(() => t.close());

  it('tells caches not to keep a login answer or /auth/me', async () => {
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: admin.user.username, password: TEST_PASSWORD })
      .expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', admin.auth).expect(200);
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('allows the web app its own scripts and styles only; the API docs page alone may inline styles', async () => {
    const app = await t.http().get('/api/v1/health');
    const policy = (response: { headers: Record<string, string> }) =>
      Object.fromEntries(
        response.headers['content-security-policy'].split(';').map((directive) => {
          const [name, ...sources] = directive.trim().split(/\s+/);
          return [name, sources.join(' ')];
        }),
      );
    expect(policy(app)).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'script-src-attr': "'none'",
      'style-src': "'self'",
      'object-src': "'none'",
    });
    const docs = await t.http().get('/api/docs/');
    expect(policy(docs)).toMatchObject({ 'script-src': "'self'", 'style-src': "'self' 'unsafe-inline'" });
  });

  const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
  const paths = ['/api/v1/nothing-here', '/api/v1/enterprises/x/y/z', '/api/nothing', '/api', '/api/v2/enterprises'];

  it.each([
    ['with a token', true],
    ['without a token', false],
  ])('answers an unknown path under /api with a 404 problem document for every method, %s', async (_, withToken) => {
    const unlike: unknown[] = [];
    for (const path of paths) {
      for (const method of methods) {
        let call = t.http()[method](path);
        if (withToken) call = call.set('Authorization', admin.auth);
        if (method !== 'get' && method !== 'delete') call = call.send({ any: 'thing' });
        const response = await call;
        const problemDocument =
          response.status === 404 &&
          String(response.headers['content-type']).startsWith('application/problem+json') &&
          response.body.status === 404 &&
          response.body.title === 'Not Found' &&
          response.body.instance === path &&
          typeof response.body.detail === 'string' &&
          !/Cannot|Express|<pre>|Nest/.test(response.text);
        if (!problemDocument) unlike.push({ method, path, status: response.status, body: response.text });
      }
    }
    expect(unlike).toEqual([]);
  });
});
