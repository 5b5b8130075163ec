import { apiAs, expect, logIn, screen, test } from './support/app';

test.describe('修改密码', () => {
  test('changing one’s password keeps this tab, ends the other sessions, and the new password logs in', async ({
    page,
    browser,
  }, testInfo) => {
    // A person of this journey's own: no demo login other journeys use changes its password.
    const admin = await (
      await page.request.post('/api/v1/auth/login', { data: { username: 'admin', password: 'keydesk-demo' } })
    ).json();
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    const username = `pw.${suffix}`;
    const oldPassword = `old-${suffix}-secret`;
    const newPassword = `new-${suffix}-secret`;
    await apiAs(page, admin.accessToken, 'POST', '/users', {
      username,
      password: oldPassword,
      displayName: `改密测试${suffix}`,
      role: 'commissioner',
    });

    await logIn(page, username, oldPassword);
    // The same person on another device: a browser context of its own (its own storage).
    const other = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    const elsewhere = await other.newPage();
    await logIn(elsewhere, username, oldPassword);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '修改密码' }).click();
    await expect(page).toHaveURL(/\/password$/);
    await expect(page).toHaveTitle(/修改密码/);
    await screen(page, 'password');

    // A wrong current password is told on its field, and nothing changes.
    await page.getByLabel('当前密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill(newPassword);
    await page.getByLabel('确认新密码').fill(newPassword);
    await page.getByRole('button', { name: '确认修改' }).click();
    const current = page.locator('.el-form-item').filter({ has: page.getByLabel('当前密码') });
    await expect(current.locator('.el-form-item__error')).toHaveText('当前密码不正确');

    await page.getByLabel('当前密码').fill(oldPassword);
    await page.getByRole('button', { name: '确认修改' }).click();
    await expect(page.getByRole('status')).toContainText('其他设备上的登录已退出');

    // This tab keeps working on the fresh session.
    await page
      .getByRole('link', { name: /消息中心/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByTestId('user-menu')).toContainText(`改密测试${suffix}`);

    // The other device's next navigation lands on the login page.
    await elsewhere.reload();
    await expect(elsewhere).toHaveURL(/\/login/);
    await logIn(elsewhere, username, newPassword);
    await expect(elsewhere).toHaveURL(/\/workbench$/);
    await other.close();

    const old = await page.request.post('/api/v1/auth/login', { data: { username, password: oldPassword } });
    expect(old.status()).toBe(401);
  });
});
