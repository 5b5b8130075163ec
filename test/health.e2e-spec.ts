import { createTestApp, TestApp } from './support/test-app';

describe('health and the API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports PostgreSQL and Redis as up, without a token', async () => {
    const response = await t.http().get('/api/v1/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details.postgres.status).toBe('up');
    expect(response.body.details.redis.status).toBe('up');
  });
});
