import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { uniqueSuffix, pick } from './support/data';

interface Paged<T = { id: string }> {
  items: T[];
  total: number;
}

/** Whether the page is wider than the phone (something sticks out sideways). */
async function widerThanScreen(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > 375);
}

/** The draft this person keeps for this enterprise, as the page wrote it. */
async function storedDraft(page: Page, userId: string, enterpriseId: string): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), `keydesk.visitDraft:${userId}:${enterpriseId}`);
}

test.use({ viewport: { width: 375, height: 812 } });

test('on a phone, a visit typed in the field survives a reload and a dead network, and is sent once the network is back', async ({
  page,
  context,
}) => {
  const { accessToken: token, user } = await useSession(page, 'comm.zhang');
  const list = await apiAs<Paged<{ id: string; name: string }>>(
    page,
    token,
    'GET',
    '/enterprises?status=active&pageSize=5',
  );
  expect(list.items.length, 'comm.zhang serves an active enterprise').toBeGreaterThan(0);
  const enterprise = list.items[list.items.length - 1];
  const visitsBefore = (await apiAs<Paged>(page, token, 'GET', `/visits?enterpriseId=${enterprise.id}`)).total;
  const { districtCode, districtName } = await apiAs<{ districtCode: string; districtName: string }>(
    page,
    token,
    'GET',
    `/enterprises/${enterprise.id}`,
  );
  const openDemandsIn = async () =>
    (
      await apiAs<{ items: { key: string; openDemands: number }[] }>(
        page,
        token,
        'GET',
        '/demands/summary?groupBy=district',
      )
    ).items.find((item) => item.key === districtCode)?.openDemands ?? 0;
  const openBefore = await openDemandsIn();
  const summary = `手机走访${uniqueSuffix()}`;
  const occupation = `电工${uniqueSuffix()}`;
  const title = `手机问题${uniqueSuffix()}`;

  await page.goto(`/m/enterprises/${enterprise.id}/visit`);
  await expect(page.getByRole('heading', { name: enterprise.name })).toBeVisible();
  await page.getByLabel('走访情况').fill(summary);
  await page.getByRole('button', { name: '+ 添加用工需求' }).click();
  const demand = page.getByRole('group', { name: '需求 1' });
  await demand.getByLabel('岗位名称').fill(occupation);
  await pick(page, demand, '职业类别', '生产制造及有关人员');
  await demand.getByLabel('需求人数').fill('2');
  await demand.getByLabel('需求人数').press('Tab');

  // Halfway: the page reloads (a phone does that to a background tab).
  await expect.poll(() => storedDraft(page, user.id, enterprise.id)).toContain(occupation);
  await page.reload();
  await expect(page.getByText('已恢复未提交的草稿')).toBeVisible();
  await expect(page.getByLabel('走访情况')).toHaveValue(summary);
  await expect(demand.getByLabel('岗位名称')).toHaveValue(occupation);
  await expect(demand.getByLabel('需求人数')).toHaveValue('2');

  await page.getByRole('button', { name: '+ 添加问题' }).click();
  const problem = page.getByRole('group', { name: '问题 1' });
  await problem.getByLabel('问题标题').fill(title);
  await pick(page, problem, '问题类别', '招工用工');
  expect(await widerThanScreen(page), 'nothing wider than the phone').toBe(false);
  await screen(page, 'm-visit');

  // No network: the visit stays on the phone.
  await context.setOffline(true);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('网络不通，草稿已保存在本机，恢复网络后再提交')).toBeVisible();
  await screen(page, 'm-visit-375');
  await context.setOffline(false);
  await page.reload();
  await expect(page.getByText('已恢复未提交的草稿')).toBeVisible();
  await expect(page.getByLabel('走访情况')).toHaveValue(summary);
  await expect(problem.getByLabel('问题标题')).toHaveValue(title);
  expect((await apiAs<Paged>(page, token, 'GET', `/visits?enterpriseId=${enterprise.id}`)).total).toBe(visitsBefore);

  // Network back: sent, back on the enterprise, the draft gone.
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(`/m/enterprises/${enterprise.id}`);
  await expect(page.getByText('走访已登记')).toBeVisible();
  const after = await apiAs<Paged<{ summary: string; demandIds: string[]; problemIds: string[] }>>(
    page,
    token,
    'GET',
    `/visits?enterpriseId=${enterprise.id}`,
  );
  expect(after.total).toBe(visitsBefore + 1);
  const saved = after.items.find((v) => v.summary === summary);
  expect(saved && [saved.demandIds.length, saved.problemIds.length]).toEqual([1, 1]);
  expect(await storedDraft(page, user.id, enterprise.id)).toBeNull();

  // The demand found is on the demand list and counted in the summary of its district.
  await page.goto(`/demands?occupation=${encodeURIComponent(occupation)}`);
  await expect(page.locator('.el-table__body tr', { hasText: occupation }).first()).toBeVisible();
  expect(await openDemandsIn()).toBe(openBefore + 1);
  await page.goto('/demands?groupBy=district');
  const districtRow = page
    .locator('.el-table__body tr')
    .filter({ has: page.getByRole('link', { name: districtName, exact: true }) })
    .first();
  // Its cells: the district, enterprises short of workers, open demands, workers short.
  await expect(districtRow.locator('td').nth(2)).toHaveText(String(openBefore + 1));

  await page.goto(`/m/enterprises/${enterprise.id}/visit`);
  await expect(page.getByRole('button', { name: '提交' })).toBeVisible();
  await expect(page.getByText('已恢复未提交的草稿')).toHaveCount(0);
  await expect(page.getByLabel('走访情况')).toHaveValue('');
  await expect(page.getByRole('group', { name: '需求 1' })).toHaveCount(0);
  expect(await widerThanScreen(page)).toBe(false);
});
