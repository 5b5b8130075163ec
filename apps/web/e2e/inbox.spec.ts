import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { tokenOf, uniqueSuffix, freshCreditCode } from './support/data';

const DAY = 86_400_000;

/**
 * A commissioner of this journey's own with three enterprises whose next visits are due tomorrow:
 * the worker reminds them at once ("visit coming up" fires days before), and only them, so the
 * counts are theirs alone whatever other journeys or earlier runs did to the demo users' inboxes.
 */
async function commissionerWithReminders(page: Page): Promise<{ username: string; password: string }> {
  const admin = await tokenOf(page.request, 'admin');
  const suffix = uniqueSuffix();
  const password = `inbox-${suffix}-pw`;
  const user = await apiAs(page, admin, 'POST', '/users', {
    username: `inbox.${suffix}`,
    password,
    displayName: `收件人${suffix}`,
    role: 'commissioner',
  });
  const [district] = await apiAs<{ code: string }[]>(page, admin, 'GET', '/reference/districts');
  const token = await tokenOf(page.request, user.username, password);
  for (const n of [1, 2, 3]) {
    const enterprise = await apiAs(page, admin, 'POST', '/enterprises', {
      name: `消息测试企业${suffix}-${n}`,
      creditCode: freshCreditCode(),
      industryCode: 'C',
      districtCode: district.code,
      address: '长春市测试大街 1 号',
      tier: 'municipal',
      employeeCount: 120,
      contactName: '测试联系人',
      contactPhone: '13900000000',
      commissionerId: user.id,
    });
    await apiAs(page, token, 'POST', `/enterprises/${enterprise.id}/visits`, {
      visitedAt: new Date(Date.now() - 60_000).toISOString(),
      method: 'phone',
      summary: '电话回访，约定明日上门',
      nextFollowUpAt: new Date(Date.now() + DAY).toISOString(),
    });
  }
  await expect
    .poll(async () => (await apiAs(page, token, 'GET', '/notifications?pageSize=1')).unread, {
      message: 'the worker sends the visit reminders',
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(3);
  return { username: user.username, password };
}

/** The bell's figure as the header shows it; 0 when the badge is hidden. */
async function bellCount(page: Page): Promise<number> {
  const badge = page.getByTestId('bell-count').locator('.el-badge__content');
  if (!(await badge.isVisible())) return 0;
  return Number(await badge.textContent());
}

test.describe('消息中心', () => {
  test('the inbox lists reminders newest first with their kind, and filters to the unread in the URL', async ({
    page,
  }) => {
    // Reads only: sup.city's inbox is left as it was.
    const login = await useSession(page, 'sup.city');
    const items = page.getByRole('list', { name: '消息列表' }).getByRole('listitem');
    await page.goto('/notifications');
    await expect(page).toHaveTitle(/消息中心/);
    await expect(async () => {
      // The worker may send one meanwhile: page and API are read again until they agree.
      const inbox = await apiAs(page, login.accessToken, 'GET', '/notifications?pageSize=1');
      await page.reload();
      await expect(page.locator('.el-pagination__total')).toHaveText(`共 ${inbox.total} 条`, { timeout: 3000 });
      await expect(items.first()).toContainText(inbox.items[0].title, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await screen(page, 'inbox');

    await page.getByText('只看未读', { exact: true }).click();
    await expect(page).toHaveURL(/\/notifications\?unread=true$/);
    await expect(async () => {
      const unread = await apiAs(page, login.accessToken, 'GET', '/notifications?unread=true&pageSize=1');
      await page.reload();
      await expect(page.locator('.el-pagination__total')).toHaveText(`共 ${unread.total} 条`, { timeout: 3000 });
    }).toPass({ timeout: 20_000 });
    await expect(items.filter({ hasText: '已读于' })).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('switch', { name: '只看未读' })).toBeChecked();

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto('/notifications');
    await expect(items.first()).toBeVisible();
    await screen(page, 'inbox-375');
  });

  test('reading an item drops the bell by one, opening one leads to its record, 全部已读 clears the bell', async ({
    page,
  }) => {
    const person = await commissionerWithReminders(page);
    const login = await useSession(page, person.username, person.password);
    const unreadNow = async () => (await apiAs(page, login.accessToken, 'GET', '/notifications?pageSize=1')).unread;

    await page.goto('/notifications');
    const items = page.getByRole('list', { name: '消息列表' }).getByRole('listitem');
    await expect(items.first()).toBeVisible();
    const before = await unreadNow();
    await expect.poll(() => bellCount(page)).toBe(before);

    await items
      .filter({ has: page.getByRole('button', { name: '标为已读' }) })
      .first()
      .getByRole('button', { name: '标为已读' })
      .click();
    await expect.poll(() => bellCount(page)).toBe(before - 1);
    expect(await unreadNow()).toBe(before - 1);

    // Opening an item reads it and shows the enterprise it is about.
    const next = items.filter({ has: page.getByRole('button', { name: '标为已读' }) }).first();
    await next.getByRole('link').click();
    await expect(page).toHaveURL(/\/enterprises\/[0-9a-f-]{36}$/);
    await expect.poll(() => bellCount(page)).toBe(before - 2);

    await page.goto('/notifications?unread=true');
    await expect(page.locator('.el-pagination__total')).toHaveText(`共 ${before - 2} 条`);
    await page.getByRole('button', { name: '全部已读' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '标为已读' })).toBeVisible();
    await expect(page.getByTestId('bell-count').locator('.el-badge__content')).toBeHidden();
    await expect(page.getByText('没有未读消息')).toBeVisible();
    expect(await unreadNow()).toBe(0);
  });
});
