import { gzipSync } from 'node:zlib';
import { createEnterprise, CreatedEnterprise } from './factories/enterprises.factory';
import { DAY } from './factories/field-work.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

const PROBLEM = {
  type: expect.any(String),
  title: expect.any(String),
  status: 400,
  detail: expect.any(String),
  instance: expect.any(String),
};

/** A JSON object with `count` distinct keys, as text (the client's own work stays out of the timing). */
function manyKeys(count: number, extra: Record<string, unknown> = {}): string {
  const keys = Array.from({ length: count }, (_, i) => `"${i.toString(36)}":0`).join(',');
  const head = JSON.stringify(extra).slice(1, -1);
  return `{${head}${head ? ',' : ''}${keys}}`;
}

/** Sends a Buffer as it is (superagent would otherwise write a Buffer sent as JSON as `{"type":"Buffer",…}`). */
const asSent = (body: Buffer) => body as unknown as string;

/** The size in bytes of an answer as it went over the wire. */
const size = (response: { text: string }) => Buffer.byteLength(response.text ?? '');

/**
 * Requests built to cost the server as much as possible for their size: each is refused with a
 * small 400 problem document, soon, and without holding up anyone else.
 */
describe('hostile input', () => {
  let t: TestApp;
  let zhang: TestUser;
  let enterprise: CreatedEnterprise;
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  const visit = (body: Record<string, unknown>) =>
    t
      .http()
      .post(`/api/v1/enterprises/${enterprise.id}/visits`)
      .set('Authorization', zhang.auth)
      .send({ visitedAt: ago(1), method: 'phone', summary: '电话回访', ...body });

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'admin');
    zhang = await createUser(t, 'commissioner');
    enterprise = await createEnterprise(t, admin.auth, { commissionerId: zhang.user.id });
  });
  afterAll(() => t?.close());

  describe('the work a body can cause is bounded before validation', () => {
    it('a login with 120 000 unknown keys answers at once, small, and /health meanwhile is not held up', async () => {
      const body = manyKeys(120_000, { username: 'nobody', password: 'whatever-it-is' });
      expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
      const started = Date.now();
      const login = t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body);
      const loginDone = login.then((response) => ({ response, ms: Date.now() - started }));
      // By then the server is busy with the login body (it arrives and is parsed within a few dozen milliseconds here).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const healthStarted = Date.now();
      const health = await t.http().get('/api/v1/health');
      const healthMs = Date.now() - healthStarted;
      const { response, ms } = await loginDone;

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        ...PROBLEM,
        detail: 'the request body has an object with more than 1000 fields',
      });
      expect(size(response)).toBeLessThan(4096);
      expect(ms).toBeLessThan(1000);
      expect(health.status).toBe(200);
      expect(healthMs).toBeLessThan(1000);
    });

    it('a body within the key bound but full of unknown fields names the first few dozen only', async () => {
      const response = await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(manyKeys(900, { username: 'nobody', password: 'whatever-it-is' }))
        .expect(400);
      expect(response.body).toMatchObject(PROBLEM);
      expect(response.body.errors[0]).toEqual({ field: '0', message: 'is not a known field' });
      expect(response.body.errors.length).toBeLessThanOrEqual(50);
      expect(size(response)).toBeLessThan(8 * 1024);
    });

    it('a key of half a megabyte is not echoed back whole', async () => {
      const response = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'nobody', password: 'whatever-it-is', ['x'.repeat(500_000)]: 1 })
        .expect(400);
      expect(response.body).toMatchObject(PROBLEM);
      expect(size(response)).toBeLessThan(4096);
    });

    it('JSON nested 10 000 levels deep, or just past the depth bound, is a 400', async () => {
      for (const depth of [10_000, 40]) {
        const body = `{"username":${'['.repeat(depth)}${']'.repeat(depth)},"password":"whatever-it-is"}`;
        const response = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ ...PROBLEM, detail: 'the request body nests deeper than 32 levels' });
        expect(size(response)).toBeLessThan(4096);
      }
    });
  });

  describe('an over-long inline array is refused before its items are looked at', () => {
    const demands = (count: number) =>
      Array.from({ length: count }, () => ({ occupation: '焊工', occupationCategory: '6', headcount: 1 }));

    it('a visit with 10 000 inline demands answers at once with a small body', async () => {
      const started = Date.now();
      const response = await visit({ demands: demands(10_000) });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject(PROBLEM);
      expect(size(response)).toBeLessThan(4096);
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('eight such visits at once do not hold up /health', async () => {
      const body = { visitedAt: ago(1), method: 'phone', summary: '电话回访', demands: demands(10_000) };
      const started = Date.now();
      const visits = Promise.all(
        Array.from({ length: 8 }, () =>
          t.http().post(`/api/v1/enterprises/${enterprise.id}/visits`).set('Authorization', zhang.auth).send(body),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const healthStarted = Date.now();
      const health = await t.http().get('/api/v1/health');
      const healthMs = Date.now() - healthStarted;
      const responses = await visits;
      expect(health.status).toBe(200);
      expect(healthMs).toBeLessThan(1000);
      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(400));
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('2 000 demands (within the body bound) answer with the one error that matters', async () => {
      const response = await visit({ demands: demands(2_000), problems: [{}, {}] });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'demands', message: 'must contain no more than 50 elements' }]);
      expect(size(response)).toBeLessThan(4096);
    });

    it('a full form (50 demands, 50 problems) is still accepted', async () => {
      const response = await visit({
        demands: demands(50),
        problems: Array.from({ length: 50 }, (_, i) => ({ title: `问题 ${i}`, category: 'recruitment' })),
      });
      expect(response.status).toBe(201);
    });
  });

  describe('inputs that used to end in a 500', () => {
    it('a NUL character in a filter, a login or a text field is a 400', async () => {
      const list = await t.http().get('/api/v1/enterprises?q=a%00b').set('Authorization', zhang.auth);
      expect(list.status).toBe(400);
      expect(list.body).toMatchObject(PROBLEM);
      expect(list.body.errors).toEqual([{ field: 'q', message: 'must not contain NUL characters' }]);

      const login = await t.http().post('/api/v1/auth/login').send({ username: 'a\u0000b', password: 'x\u0000' });
      expect(login.status).toBe(400);
      expect(login.body.errors).toEqual([
        { field: 'username', message: 'must not contain NUL characters' },
        { field: 'password', message: 'must not contain NUL characters' },
      ]);

      const text = await visit({ summary: '电话\u0000回访', demands: [{ occupation: '焊\u0000工' }] });
      expect(text.status).toBe(400);
      expect(text.body.errors).toEqual([
        { field: 'summary', message: 'must not contain NUL characters' },
        { field: 'demands.0.occupation', message: 'must not contain NUL characters' },
      ]);
    });

    it('page is bounded so that the offset stays a safe integer', async () => {
      for (const page of ['1e20', '1e308', '1000001']) {
        const response = await t.http().get(`/api/v1/enterprises?page=${page}`).set('Authorization', zhang.auth);
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([{ field: 'page', message: 'must not be greater than 1000000' }]);
      }
      await t.http().get('/api/v1/enterprises?page=1000000').set('Authorization', zhang.auth).expect(200);
    });

    it('a gzip body that is not gzip is a 400', async () => {
      const junk = await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize(asSent)
        .send(Buffer.from('this is not gzip at all'));
      expect(junk.status).toBe(400);
      expect(junk.body).toMatchObject(PROBLEM);
      // Real gzip still works.
      const real = await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize(asSent)
        .send(gzipSync(JSON.stringify({ username: 'nobody', password: 'whatever-it-is' })));
      expect(real.body).toMatchObject({ status: 401 });
    });
  });

  describe('dates lie on the calendar and in a sensible window', () => {
    const DATE_TIME = 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-27T09:30:00+08:00';

    it('impossible calendar dates are refused, date-times and YYYY-MM-DD dates alike', async () => {
      const response = await visit({
        visitedAt: '2020-02-30T10:00:00+08:00',
        demands: [
          { occupation: '焊工', occupationCategory: '6', headcount: 1, neededBy: '2026-02-31' },
          { occupation: '焊工', occupationCategory: '6', headcount: 1, neededBy: '2025-02-29' },
          { occupation: '焊工', occupationCategory: '6', headcount: 1, neededBy: '2024-02-29' },
        ],
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'visitedAt', message: DATE_TIME },
        { field: 'demands.0.neededBy', message: 'must be a date YYYY-MM-DD' },
        { field: 'demands.1.neededBy', message: 'must be a date YYYY-MM-DD' },
      ]);
      for (const visitedAt of ['2020-01-01T24:30:00Z', '2020-01-01T10:60:00Z', '2020-01-01T10:00:00+25:00']) {
        const wrong = await visit({ visitedAt });
        expect(wrong.body.errors).toEqual([{ field: 'visitedAt', message: DATE_TIME }]);
      }
    });

    it('dates before 2000 are refused: a visit, a problem, a demand', async () => {
      const response = await visit({
        visitedAt: '0000-01-01T00:00:00Z',
        demands: [{ occupation: '焊工', occupationCategory: '6', headcount: 1, neededBy: '0000-01-01' }],
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'visitedAt', message: 'must not be before 2000-01-01' },
        { field: 'demands.0.neededBy', message: 'must not be before 2000-01-01' },
      ]);
      const problem = await t
        .http()
        .post(`/api/v1/enterprises/${enterprise.id}/problems`)
        .set('Authorization', zhang.auth)
        .send({ title: '欠薪', category: 'recruitment', reportedAt: '1999-12-31T23:59:59+08:00' });
      expect(problem.status).toBe(400);
      expect(problem.body.errors).toEqual([{ field: 'reportedAt', message: 'must not be before 2000-01-01' }]);
    });

    it('a follow-up lies within a year of the visit', async () => {
      const far = await visit({ nextFollowUpAt: '9999-12-31T00:00:00Z' });
      expect(far.status).toBe(400);
      expect(far.body.errors).toContainEqual({
        field: 'nextFollowUpAt',
        message: 'must be within a year of visitedAt',
      });
      const visitedAt = new Date(Date.now() - DAY);
      const late = await visit({
        visitedAt: visitedAt.toISOString(),
        nextFollowUpAt: new Date(visitedAt.getTime() + 367 * DAY).toISOString(),
      });
      expect(late.body.errors).toEqual([{ field: 'nextFollowUpAt', message: 'must be within a year of visitedAt' }]);
      const fine = await visit({
        visitedAt: visitedAt.toISOString(),
        nextFollowUpAt: new Date(visitedAt.getTime() + 365 * DAY).toISOString(),
      });
      expect(fine.status).toBe(201);
    });
  });
});
