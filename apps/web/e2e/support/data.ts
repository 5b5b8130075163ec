import type { APIRequestContext, Locator, Page } from '@playwright/test';
// The domain's own check character (the file has no imports, so the journeys' loader reads it as is).
import { creditCodeCheckCharacter } from '../../../../libs/domain/src/rules/credit-code';
import { apiAs, DEMO_PASSWORD, expect } from './app';

/** The scene a journey sets through the API: its own records under unique names. */

export async function tokenOf(request: APIRequestContext, username: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await request.post('/api/v1/auth/login', { data: { username, password } });
  expect(response.status(), `login of ${username}`).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 46656).toString(36)}`;
}

/** A valid unified social credit code no other record uses (random body, computed check character). */
export function freshCreditCode(): string {
  const body = `91220100${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  return body + creditCodeCheckCharacter(body);
}

export interface SceneEnterprise {
  id: string;
  name: string;
  version: number;
}

/** A new active enterprise in 南关区 (in both demo supervisors' districts). */
export async function newEnterprise(
  page: Page,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<SceneEnterprise> {
  return apiAs<SceneEnterprise>(page, token, 'POST', '/enterprises', {
    name: `旅程测试企业${uniqueSuffix()}`,
    creditCode: freshCreditCode(),
    industryCode: 'C',
    districtCode: '220102',
    address: '长春市南关区测试大街 1 号',
    tier: 'municipal',
    employeeCount: 200,
    contactName: '赵联系',
    contactPhone: '13900000000',
    ...extra,
  });
}

/** The message Element Plus pops up, by its text. */
export function toast(page: Page, text: string | RegExp) {
  return page.locator('.el-message').filter({ hasText: text });
}

/** Picks an option of a select by its label: the placeholder lies over the input, so click through it. */
export async function pick(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  const select = scope.getByLabel(label, { exact: true });
  // To the middle of the screen first: a forced click must not land on a bar fixed over the page's
  // edge (the phone view's tab bar).
  await select.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  // On a loaded machine a click can reach the list while it is still opening and be lost: pick
  // again until the select shows the option, as a person would.
  const shown = scope.locator('.el-select').filter({ has: page.getByLabel(label, { exact: true }) });
  await expect(async () => {
    await select.click({ force: true });
    await page.getByRole('option', { name: option, exact: true }).click({ timeout: 3000 });
    await expect(shown).toContainText(option, { timeout: 1000 });
  }).toPass({ timeout: 15000 });
}

/** Clicks a chart's bar where the chart drew it (its data-bars attribute says where). */
export async function clickBar(chart: Locator, key: string): Promise<void> {
  await expect(chart).not.toHaveAttribute('data-bars', '[]');
  const bars = JSON.parse((await chart.getAttribute('data-bars'))!) as { key: string; x: number; y: number }[];
  const bar = bars.find((b) => b.key === key);
  expect(bar, `bar ${key}`).toBeTruthy();
  await chart.click({ position: { x: bar!.x, y: bar!.y } });
}
