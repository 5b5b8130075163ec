import { expect, type Page, test as base } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEMO_PASSWORD = 'keydesk-demo';

/** Screenshots of every screen, each run: test-results/screens, or docs/screenshots via `npm run screenshots`. */
const SCREENS_DIR =
  process.env.KEYDESK_SCREENSHOTS_DIR ?? fileURLToPath(new URL('../../test-results/screens', import.meta.url));

/** Logs in through the login page, as a person does. */
export async function logIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/**
 * Logs in through the API and hands the session to the page, for journeys about something else
 * than logging in (the login page has its own journeys).
 */
export async function useSession(page: Page, username: string, password = DEMO_PASSWORD): Promise<LoginResult> {
  const response = await page.request.post('/api/v1/auth/login', { data: { username, password } });
  expect(response.status(), `login of ${username}`).toBe(200);
  const login = (await response.json()) as LoginResult;
  await page.addInitScript(
    (stored) => {
      if (!localStorage.getItem('keydesk.session')) localStorage.setItem('keydesk.session', stored);
    },
    JSON.stringify({ token: login.accessToken, user: login.user }),
  );
  return login;
}

export interface LoginResult {
  accessToken: string;
  user: { id: string; username: string; displayName: string; role: string; version: number };
}

/** An API call with someone's token, to set a scene or to check what the server now holds. */
export async function apiAs<T = any>(
  page: Page,
  token: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  path: string,
  data?: unknown,
): Promise<T> {
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}` },
    data,
  });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return (await response.json()) as T;
}

/** A screenshot of the whole page under a stable name, after the page has settled. */
export async function screen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.waitForLoadState('networkidle');
  // A dialog's overlay covers the window only: then the window is the picture, else the whole page.
  const dialogOpen = await page.locator('.el-overlay:visible').count();
  // A whole page is taken from its top, so that sticky bars sit where a person sees them.
  if (dialogOpen === 0) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENS_DIR}/${name}.png`, fullPage: dialogOpen === 0, animations: 'disabled' });
}

/** Fails a journey on any error the page logs (a failed script, a CSP refusal, an unhandled rejection). */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        // A 401/404 the app handles is logged by Chromium as a failed resource: not an error of the app.
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text());
      });
      await use(errors);
      expect(errors, 'errors logged by the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
