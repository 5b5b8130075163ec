import { apiAs, expect, logIn, screen, test, useSession } from './support/app';

test.describe('登录', () => {
  test('the login page names its fields, refuses a wrong password in Chinese, and lets the person in', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page).toHaveTitle(/登录/);
    await screen(page, 'login');
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
    await page
      .getByRole('link', { name: /消息中心/ })
      .first()
      .click();
    await page.reload();
    await expect(page).toHaveURL(/\/login\?redirect=/);
    await logIn(page, 'sup.south');
    await expect(page).toHaveURL(/\/notifications\?unread=true$/);
  });
});
