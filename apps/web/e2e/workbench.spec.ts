import { apiAs, expect, logIn, screen, test, useSession } from './support/app';

const LANDING = {
  'comm.zhang': {
    role: '服务专员',
    figures: ['走访已逾期', '7 天内需走访', '我的未办结问题', '我的逾期问题', '需求清单待更新', '未读提醒'],
  },
  'sup.south': {
    role: '科室负责人',
    figures: ['待审核问题', '逾期问题', '走访逾期企业', '未分配专员企业', '未读提醒'],
  },
  admin: { role: '系统管理员', figures: ['已升级问题', '逾期问题', '待审核问题', '未分配专员企业', '未读提醒'] },
} as const;

const SCREEN = { 'comm.zhang': 'commissioner', 'sup.south': 'supervisor', admin: 'admin' } as const;

test.describe('工作台', () => {
  for (const [username, expected] of Object.entries(LANDING) as [
    keyof typeof LANDING,
    (typeof LANDING)[keyof typeof LANDING],
  ][]) {
    test(`${username} logs in and lands on the ${expected.role}'s workbench`, async ({ page }) => {
      await logIn(page, username);
      await expect(page).toHaveURL(/\/workbench$/);
      await expect(page).toHaveTitle(/工作台/);
      await expect(page.getByTestId('user-menu')).toContainText(expected.role);
      for (const figure of expected.figures) await expect(page.getByTestId(`figure-${figure}`)).toBeVisible();
      await expect(page.locator('.kd-figure-value', { hasText: '…' })).toHaveCount(0);
      await screen(page, `workbench-${SCREEN[username]}`);
    });
  }

  test('a figure is the total of the list it opens, filtered', async ({ page }) => {
    const login = await useSession(page, 'sup.city');
    const overdue = await apiAs(page, login.accessToken, 'GET', '/problems?overdue=true&pageSize=1');
    await page.goto('/workbench');
    const figure = page.getByTestId('figure-逾期问题');
    await expect(figure.locator('.kd-figure-value')).toHaveText(overdue.total.toLocaleString('en-US'));
    await figure.click();
    await expect(page).toHaveURL(/\/problems\?overdue=true$/);
    await expect(page.locator('.el-pagination__total')).toHaveText(`共 ${overdue.total} 条`);
    // Every row the list shows is overdue, marked with how late it is.
    const rows = page.locator('.el-table__body tr');
    await expect(rows.first()).toBeVisible();
    await expect(rows.filter({ hasText: /逾期 \d+ 天|今日已到期/ })).toHaveCount(await rows.count());
    await screen(page, 'problems');
    await rows.first().getByRole('link').first().click();
    await expect(page).toHaveURL(/\/problems\/[0-9a-f-]{36}$/);
    await expect(page.getByText('办理记录')).toBeVisible();
    await screen(page, 'problem');
  });

  test('at 375 px the workbench and the lists fit the screen', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await useSession(page, 'comm.zhang');
    for (const [path, name] of [
      ['/workbench', 'workbench-375'],
      ['/problems', 'problems-375'],
    ] as const) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is no wider than the screen`).toBeLessThanOrEqual(375);
      await screen(page, name);
    }
    // The side menu is a drawer behind the menu button.
    await page.getByRole('button', { name: '菜单' }).click();
    await expect(page.getByRole('menuitem', { name: '我的企业' }).last()).toBeVisible();
  });
});
