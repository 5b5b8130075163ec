import { apiAs, expect, logIn, screen, test, useSession } from './support/app';

test.describe('登录', () => {
  test('the login page names its fields, refuses a wrong password in Chinese, and lets the person in', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page).toHaveTitle(/登录/);
    await screen(page, 'login');
    await page.setViewportSize({ width: 375, height: 812 });
    await screen(page, 'login-375');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByLabel('用户名').fill('comm.zhang');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByLabel('密码').press('Enter');
    await expect(page.getByRole('alert')).toContainText('用户名或密码错误');
    await logIn(page, 'comm.zhang');
    await expect(page).toHaveURL(/\/workbench$/);
    await expect(page.getByTestId('user-menu')).toContainText('服务专员');
  });

  test('a locked-out name is told how long to wait', async ({ page }) => {
    await page.goto('/login');
    // Five failures of one name from one address lock it there (the API's per-name limit).
    for (let i = 0; i < 5; i++) {
      await page.request.post('/api/v1/auth/login', { data: { username: 'comm.huang', password: `wrong-${i}` } });
    }
    await page.getByLabel('用户名').fill('comm.huang');
    await page.getByLabel('密码').fill('keydesk-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert')).toContainText(/登录失败次数过多，请\d+ 分钟后再试/);
  });

  test('an expired or revoked session returns to the login page, and logging in returns to where the person was', async ({
    page,
  }) => {
    const login = await useSession(page, 'sup.south');
    await page.goto('/notifications?unread=true');
    await expect(page.getByTestId('user-menu')).toContainText(login.user.displayName);
    // The session ends elsewhere: an admin resets this person's password.
    const admin = await (
      await page.request.post('/api/v1/auth/login', { data: { username: 'admin', password: 'keydesk-demo' } })
    ).json();
    const user = await apiAs(page, admin.accessToken, 'GET', `/users/${login.user.id}`);
    await apiAs(page, admin.accessToken, 'PATCH', `/users/${login.user.id}`, {
      password: 'keydesk-demo',
      version: user.version,
    });
    // The open page learns it on its next request: the person moves on to the problem list.
    await page.getByRole('menuitem', { name: '问题解决清单' }).click();
    await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)problems$/);
    await expect(page.getByText('登录已失效，请重新登录')).toBeVisible();
    await logIn(page, 'sup.south');
    await expect(page).toHaveURL(/\/problems$/);
    await expect(page.getByRole('tab', { name: '待审核' })).toBeVisible();
  });

  test('logging out in one tab logs out the other tabs too', async ({ page, context }) => {
    await useSession(page, 'comm.zhao');
    await page.goto('/workbench');
    const other = await context.newPage();
    await other.goto('/problems');
    await expect(other.getByTestId('user-menu')).toContainText('服务专员');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(other).toHaveURL(/\/login\?redirect=(%2F|\/)problems$/);
  });
});
