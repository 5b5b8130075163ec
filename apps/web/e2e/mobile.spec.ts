import type { Locator, Page } from '@playwright/test';
import { apiAs, expect, logIn, screen, test, useSession } from './support/app';
import { tokenOf, toast, uniqueSuffix } from './support/data';

const PHONE = { width: 375, height: 812 };

/** Nothing on the page is wider than the phone's screen. */
async function fitsThePhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

/** A card of a growing list, taking 加载更多 until it shows (the list's length is the demo data's). */
async function cardOf(page: Page, list: Locator, name: string): Promise<Locator> {
  const card = list.getByRole('article', { name });
  for (let i = 0; i < 20 && !(await card.isVisible()); i++) {
    const more = page.getByRole('button', { name: '加载更多' });
    if (!(await more.isVisible())) break;
    await more.click();
    await expect(more.or(page.getByText('已全部加载'))).toBeVisible();
  }
  await expect(card).toBeVisible();
  return card;
}

/** A new problem of comm.zhang's on one of their enterprises, reported by sup.city. */
async function zhangsProblem(page: Page) {
  const supervisor = await tokenOf(page.request, 'sup.city');
  const zhangToken = await tokenOf(page.request, 'comm.zhang');
  const zhang = await apiAs(page, zhangToken, 'GET', '/auth/me');
  const { items } = await apiAs(page, zhangToken, 'GET', '/enterprises?pageSize=1&sort=name');
  const problem = await apiAs(page, supervisor, 'POST', `/enterprises/${items[0].id}/problems`, {
    title: `手机办理测试${uniqueSuffix()}`,
    category: 'recruitment',
    priority: 'high',
    description: '企业反映普工招聘困难。',
    assigneeId: zhang.id,
  });
  return { supervisor, zhangToken, problem };
}

test.describe('手机版', () => {
  test('a commissioner logging in on a phone lands on 我的企业: the API’s count, a search, and an enterprise with 登记走访', async ({
    page,
  }) => {
    await page.setViewportSize(PHONE);
    await logIn(page, 'comm.zhang');
    await expect(page).toHaveURL(/\/m\/enterprises$/);
    const token = await tokenOf(page.request, 'comm.zhang');
    const all = await apiAs(page, token, 'GET', '/enterprises?pageSize=1');
    const count = page.getByTestId('m-enterprise-count');
    await expect(count).toContainText(`共 ${all.total} 家企业`);
    const list = page.getByRole('list', { name: '企业列表' });
    await expect(list.getByRole('link').first()).toBeVisible();
    await fitsThePhone(page);
    await screen(page, 'm-enterprises');

    // Overdue visits first: the order is the server's (sort=nextVisitDueAt), shown as it answers.
    const first = await apiAs(page, token, 'GET', '/enterprises?pageSize=1&sort=nextVisitDueAt');
    await expect(list.getByRole('link').first()).toContainText(first.items[0].name);

    // A search narrows the list to what the server finds for it.
    const name: string = first.items[0].name;
    const found = await apiAs(page, token, 'GET', `/enterprises?pageSize=1&q=${encodeURIComponent(name)}`);
    await page.getByLabel('搜索企业').fill(name);
    await page.getByLabel('搜索企业').press('Enter');
    await expect(page).toHaveURL(/\?q=/);
    await expect(count).toContainText(`共 ${found.total} 家企业`);
    await expect(list.getByRole('link')).toHaveCount(Math.min(found.total, 20));

    await list
      .getByRole('link', { name: new RegExp(name) })
      .first()
      .click();
    const id = first.items[0].id as string;
    await expect(page).toHaveURL(new RegExp(`/m/enterprises/${id}$`));
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
    await expect(page.getByRole('link', { name: '登记走访' })).toHaveAttribute('href', `/m/enterprises/${id}/visit`);
    await expect(page.locator('a[href^="tel:"]')).toBeVisible();
    await expect(page.getByRole('heading', { name: /在招用工需求 \d+ 条/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: /未办结问题 \d+ 条/ })).toBeVisible();
    await fitsThePhone(page);
    await screen(page, 'm-enterprise');

    // Back to the list the search came from.
    await page.getByRole('button', { name: '返回' }).click();
    await expect(page).toHaveURL(/\/m\/enterprises\?q=/);
  });

  test('an enterprise out of scope reads 不存在或无权查看', async ({ page }) => {
    await page.setViewportSize(PHONE);
    await useSession(page, 'comm.zhang');
    await page.goto('/m/enterprises/00000000-0000-4000-8000-000000000000');
    await expect(page.getByText('不存在或无权查看')).toBeVisible();
  });

  test('我的问题: a new problem is started and resolved on the phone, with its 办理结果', async ({ page }) => {
    const { problem, zhangToken } = await zhangsProblem(page);
    await page.setViewportSize(PHONE);
    await useSession(page, 'comm.zhang');
    await page.goto('/m/problems');
    const mine = await apiAs(
      page,
      zhangToken,
      'GET',
      '/problems?pageSize=1&status=open_or_in_progress&assigneeId=' +
        (await apiAs(page, zhangToken, 'GET', '/auth/me')).id,
    );
    await expect(page.getByTestId('m-problem-count')).toContainText(`待办理 ${mine.total} 个问题`);
    const list = page.getByRole('list', { name: '问题列表' });
    const card = await cardOf(page, list, problem.title);
    await expect(card.getByText('待受理')).toBeVisible();
    await fitsThePhone(page);
    await screen(page, 'm-problems');

    await card.getByRole('button', { name: '开始办理' }).click();
    await expect(toast(page, '已开始办理')).toBeVisible();
    await expect(card.getByText('办理中')).toBeVisible();
    await expect(card.getByRole('button', { name: '开始办理' })).toHaveCount(0);

    await card.getByRole('button', { name: '办结' }).click();
    const sheet = page.getByRole('dialog', { name: '办结问题' });
    // 办理结果 is required before anything is sent.
    await sheet.getByRole('button', { name: '提交办结' }).click();
    await expect(sheet.getByText('请填写办理结果')).toBeVisible();
    const resolution = `已对接人力资源市场，安排专场招聘会 ${uniqueSuffix()}`;
    await sheet.getByLabel('办理结果').fill(resolution);
    await expect(sheet.getByText('请填写办理结果')).toBeHidden();
    await fitsThePhone(page);
    await screen(page, 'm-problem-resolve');
    await sheet.getByRole('button', { name: '提交办结' }).click();
    await expect(toast(page, '已办结')).toBeVisible();
    await expect(sheet).toBeHidden();
    await expect(list.getByRole('article', { name: problem.title })).toHaveCount(0);

    const now = await apiAs(page, zhangToken, 'GET', `/problems/${problem.id}`);
    expect(now.status).toBe('resolved');
    expect(now.resolution).toBe(resolution);
  });

  test('我的问题: someone acting first is said in Chinese and the list shows the problem as it now is', async ({
    page,
  }) => {
    const { problem, supervisor } = await zhangsProblem(page);
    await page.setViewportSize(PHONE);
    await useSession(page, 'comm.zhang');
    await page.goto('/m/problems');
    const card = await cardOf(page, page.getByRole('list', { name: '问题列表' }), problem.title);
    // The supervisor starts it meanwhile: the phone's version is stale.
    await apiAs(page, supervisor, 'POST', `/problems/${problem.id}/transitions`, {
      action: 'start',
      version: problem.version,
    });
    await card.getByRole('button', { name: '开始办理' }).click();
    await expect(toast(page, '已被他人处理')).toBeVisible();
    await expect(card.getByText('办理中')).toBeVisible();
    await expect(card.getByRole('button', { name: '开始办理' })).toHaveCount(0);
    await expect(card.getByRole('button', { name: '办结' })).toBeVisible();
    // Out of comm.zhang's working list again, so that runs do not pile up there.
    const started = await apiAs(page, supervisor, 'GET', `/problems/${problem.id}`);
    await apiAs(page, supervisor, 'POST', `/problems/${problem.id}/transitions`, {
      action: 'resolve',
      resolution: '测试结束',
      version: started.version,
    });
  });

  test('我的提醒: the inbox as cards; opening one reads it and leads to its record', async ({ page }) => {
    await page.setViewportSize(PHONE);
    const login = await useSession(page, 'comm.zhang');
    await page.goto('/m/notifications');
    const inbox = await apiAs(page, login.accessToken, 'GET', '/notifications?pageSize=1');
    await expect(page.getByText(`未读 ${inbox.unread} 条`)).toBeVisible();
    const list = page.getByRole('list', { name: '提醒列表' });
    if (inbox.total > 0) await expect(list.getByRole('link').first()).toBeVisible();
    await fitsThePhone(page);
    await screen(page, 'm-notifications');

    await page.getByText('只看未读').click();
    await expect(page).toHaveURL(/unread=true/);
    // Reading one leaves comm.zhang's inbox one fewer unread; other journeys read theirs only.
    const unread = await apiAs(page, login.accessToken, 'GET', '/notifications?pageSize=1&unread=true');
    if (unread.total === 0) return;
    const item = unread.items[0];
    await list.getByRole('link').first().click();
    const expected =
      item.subjectType === 'enterprise'
        ? `/m/enterprises/${item.subjectId}`
        : item.subjectType === 'problem'
          ? `/problems/${item.subjectId}`
          : '/m/problems';
    await expect(page).toHaveURL(new RegExp(`${expected}$`));
    const after = await apiAs(page, login.accessToken, 'GET', '/notifications?pageSize=100&unread=true');
    expect(after.items.map((n: { id: string }) => n.id)).not.toContain(item.id);
  });

  test('the desktop offers a commissioner 手机版, and the phone offers 电脑版 back', async ({ page }) => {
    await useSession(page, 'comm.zhang');
    await page.goto('/workbench');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '手机版' }).click();
    await expect(page).toHaveURL(/\/m\/enterprises$/);
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: '我的' }).click();
    await expect(page.getByRole('button', { name: '退出' })).toBeVisible();
    await page.getByRole('link', { name: '电脑版' }).click();
    await expect(page).toHaveURL(/\/workbench$/);
  });

  test('a supervisor’s menu has no 手机版', async ({ page }) => {
    await useSession(page, 'sup.city');
    await page.goto('/workbench');
    await page.getByTestId('user-menu').click();
    await expect(page.getByRole('menuitem', { name: '修改密码' })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: '手机版' })).toHaveCount(0);
  });
});
