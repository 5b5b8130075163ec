import { expect, test } from './support/app';

test.describe('one origin: the web app at /, the API under /api', () => {
  test('a deep link answers the app; an unknown /api path stays a JSON 404; the app runs under a strict CSP', async ({
    page,
  }) => {
    const deep = await page.request.get('/enterprises/00000000-0000-4000-8000-000000000000');
    expect(deep.status()).toBe(200);
    expect(deep.headers()['content-type']).toContain('text/html');
    expect(deep.headers()['content-security-policy']).toMatch(/style-src 'self'(;|$)/);

    for (const path of ['/api/nothing', '/api/v1/nothing']) {
      const api = await page.request.get(path);
      expect(api.status(), path).toBe(404);
      expect(api.headers()['content-type'], path).toContain('application/problem+json');
    }
    // The consoleErrors fixture fails the journey on any CSP refusal while the page runs.
    await page.goto('/login');
    await expect(page.getByLabel('用户名')).toBeVisible();
  });
});
