import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { uniqueSuffix, pick } from './support/data';

interface Paged<T = { id: string }> {
  items: T[];
  total: number;
}

/** One of the person's active enterprises, with the visits and demands it has now. */
async function anEnterprise(page: Page, token: string) {
  const list = await apiAs<Paged<{ id: string; name: string }>>(
    page,
    token,
    'GET',
    '/enterprises?status=active&pageSize=5',
  );
  expect(list.items.length, 'comm.zhang serves an active enterprise').toBeGreaterThan(0);
  return list.items[0];
}

test.describe('走访', () => {
  test('a visit with a bad demand row is refused on that row and nothing is written; fixed, it is saved with its demand and problem', async ({
    page,
  }) => {
    const { accessToken: token } = await useSession(page, 'comm.zhang');
    const enterprise = await anEnterprise(page, token);
    const visitsBefore = (await apiAs<Paged>(page, token, 'GET', `/visits?enterpriseId=${enterprise.id}`)).total;
    const problemsBefore = (
      await apiAs<Paged>(page, token, 'GET', `/problems?enterpriseId=${enterprise.id}&status=all`)
    ).total;
    const occupation = `焊工${uniqueSuffix()}`;
    const title = `旅程问题${uniqueSuffix()}`;

    // From the enterprise's page, as a commissioner starts it.
    await page.goto(`/enterprises/${enterprise.id}`);
    await page.getByRole('button', { name: '登记走访' }).click();
    await expect(page).toHaveURL(`/enterprises/${enterprise.id}/visits/new`);
    await expect(page.getByRole('link', { name: enterprise.name })).toBeVisible();

    await page.getByRole('radio', { name: '电话' }).click({ force: true });
    await page.getByLabel('走访情况').fill('电话了解车间用工情况');
    await page.getByRole('button', { name: '+ 添加用工需求' }).click();
    const demand = page.getByRole('group', { name: '需求 1' });
    await demand.getByLabel('岗位名称').fill(occupation);
    await pick(page, demand, '职业类别', '生产制造及有关人员');
    await demand.getByLabel('需求人数').fill('0');
    await demand.getByLabel('需求人数').press('Tab');
    await page.getByRole('button', { name: '+ 添加问题' }).click();
    const problem = page.getByRole('group', { name: '问题 1' });
    await problem.getByLabel('问题标题').fill(title);
    await pick(page, problem, '问题类别', '招工用工');
    await screen(page, 'visit-new');

    await page.getByRole('button', { name: '提交' }).click();
    const headcountItem = demand.locator('.el-form-item', { has: page.getByLabel('需求人数') });
    await expect(headcountItem.locator('.el-form-item__error')).toHaveText('不能小于 1');
    await expect(page).toHaveURL(`/enterprises/${enterprise.id}/visits/new`);
    await screen(page, 'visit-new-errors');
    // All or nothing: neither the visit nor its problem was written.
    expect((await apiAs<Paged>(page, token, 'GET', `/visits?enterpriseId=${enterprise.id}`)).total).toBe(visitsBefore);
    expect((await apiAs<Paged>(page, token, 'GET', `/problems?enterpriseId=${enterprise.id}&status=all`)).total).toBe(
      problemsBefore,
    );

    await demand.getByLabel('需求人数').fill('3');
    await demand.getByLabel('需求人数').press('Tab');
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page).toHaveURL(/\/visits\/[0-9a-f-]{36}$/);
    await expect(page.getByText('走访已登记')).toBeVisible();
    const visitId = page.url().split('/').pop()!;

    // The visit's page lists what it produced.
    const demandRow = page.locator('.el-table__row', { hasText: occupation });
    await expect(demandRow).toContainText('生产制造及有关人员');
    await expect(demandRow).toContainText('招聘中');
    await expect(page.getByText('电话了解车间用工情况')).toBeVisible();
    await screen(page, 'visit');
    const found = await apiAs<Paged<{ id: string; sourceVisitId: string; headcount: number }>>(
      page,
      token,
      'GET',
      `/demands?enterpriseId=${enterprise.id}&occupation=${encodeURIComponent(occupation)}&status=all`,
    );
    expect(found.items.map((d) => [d.sourceVisitId, d.headcount])).toEqual([[visitId, 3]]);

    await page.getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(/\/problems\/[0-9a-f-]{36}$/);
    await expect(page.getByText(title).first()).toBeVisible();
    await page.goBack();
    await page.getByRole('link', { name: enterprise.name }).first().click();
    await expect(page).toHaveURL(`/enterprises/${enterprise.id}`);
  });

  test('走访记录 filters by method on the server, in the URL', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'comm.zhang');
    await page.goto('/visits');
    const all = await apiAs<Paged>(page, token, 'GET', '/visits');
    await expect(page.getByText(`共 ${all.total} 条`)).toBeVisible();
    // Commissioners see their own visits only: no picker of commissioners.
    await expect(page.locator('.kd-search').getByLabel('服务专员')).toHaveCount(0);

    await page.locator('.kd-search').getByLabel('走访方式', { exact: true }).click({ force: true });
    await page.getByRole('option', { name: '电话', exact: true }).click();
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page).toHaveURL(/method=phone/);
    const phone = await apiAs<Paged<{ method: string }>>(page, token, 'GET', '/visits?method=phone');
    await expect(page.getByText(`共 ${phone.total} 条`)).toBeVisible();
    const methods = page.locator('.el-table__body tbody tr td:nth-child(3)');
    await expect(methods).toHaveCount(Math.min(phone.total, 20));
    for (const text of await methods.allTextContents()) expect(text.trim()).toBe('电话');
    await screen(page, 'visits');

    await page.reload();
    await expect(page.getByText(`共 ${phone.total} 条`)).toBeVisible();
  });

  test("a commissioner opening another commissioner's visit by its URL is told 不存在或无权查看", async ({ page }) => {
    const zhang = await page.request.post('/api/v1/auth/login', {
      data: { username: 'comm.zhang', password: 'keydesk-demo' },
    });
    const zhangToken = ((await zhang.json()) as { accessToken: string }).accessToken;
    const theirs = await apiAs<Paged>(page, zhangToken, 'GET', '/visits?pageSize=1');
    expect(theirs.items.length, 'comm.zhang has a visit').toBe(1);

    const { accessToken: token } = await useSession(page, 'comm.liu');
    const probe = await page.request.get(`/api/v1/visits/${theirs.items[0].id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(probe.status()).toBe(404);
    await page.goto(`/visits/${theirs.items[0].id}`);
    await expect(page.getByText('不存在或无权查看')).toBeVisible();
  });
});
