import { apiAs, expect, logIn, screen, test, useSession } from './support/app';
import { tokenOf, uniqueSuffix, freshCreditCode, toast } from './support/data';

test.describe('系统管理 · 用户管理', () => {
  test('an admin adds a commissioner who, once given an enterprise, sees it among 我的企业', async ({ page }) => {
    await useSession(page, 'admin');
    await page.goto('/admin');
    await expect(page).toHaveTitle(/系统管理/);
    await expect(page.getByRole('tab', { name: '用户管理' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('cell', { name: 'sup.city' })).toBeVisible();
    await screen(page, 'admin-users');

    const suffix = uniqueSuffix();
    const username = `comm.${suffix}`;
    const displayName = `新专员${suffix}`;
    const password = `start-${suffix}-pw`;
    await page.getByRole('button', { name: '新增用户' }).click();
    const dialog = page.getByRole('dialog', { name: '新增用户' });
    await dialog.getByLabel('用户名').fill(username);
    await dialog.getByLabel('姓名').fill(displayName);
    await expect(dialog.getByLabel('负责区县')).toHaveCount(0);
    await dialog.getByLabel('手机号').fill('13912345678');
    await dialog.getByLabel('初始密码').fill(password);
    await screen(page, 'admin-user-new');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(toast(page, `已新增用户 ${displayName}`)).toBeVisible();
    await expect(dialog).toBeHidden();

    // The list finds them by name, with their role in Chinese; the filter is in the URL.
    await page.getByLabel('关键字').fill(suffix);
    await page.getByLabel('关键字').press('Enter');
    await expect(page).toHaveURL(new RegExp(`q=${suffix}`));
    const row = page.locator('.el-table__body tr').filter({ hasText: username });
    await expect(row).toContainText('服务专员');
    await expect(page.locator('.el-pagination__total')).toHaveText('共 1 条');

    // A new enterprise, not yet assigned; a supervisor assigns it to them on its page.
    const supervisor = await tokenOf(page.request, 'sup.city');
    const [district] = await apiAs<{ code: string }[]>(page, supervisor, 'GET', '/reference/districts');
    const name = `新专员测试企业${suffix}`;
    const enterprise = await apiAs(page, supervisor, 'POST', '/enterprises', {
      name,
      creditCode: freshCreditCode(),
      industryCode: 'C',
      districtCode: district.code,
      address: '长春市测试大街 2 号',
      tier: 'district',
      employeeCount: 80,
      contactName: '测试联系人',
      contactPhone: '13900000001',
    });
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出' }).click();
    await logIn(page, 'sup.city');
    await page.goto(`/enterprises/${enterprise.id}`);
    await page.getByRole('button', { name: '分配专员' }).click();
    const assign = page.getByRole('dialog', { name: '分配服务专员' });
    await assign.getByLabel('服务专员', { exact: true }).click({ force: true });
    await assign.getByLabel('服务专员', { exact: true }).pressSequentially(suffix);
    await page.getByRole('option', { name: new RegExp(`^${displayName}`) }).click();
    await assign.getByLabel('原因').fill('新专员入职，分配企业');
    await assign.getByRole('button', { name: '确定' }).click();
    await expect(assign).toBeHidden();
    await expect(page.locator('.kd-enterprise-head')).toContainText(displayName);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出' }).click();
    await logIn(page, username, password);
    await page.goto('/enterprises');
    await expect(page.getByText(name)).toBeVisible();
  });

  test('an admin can neither deactivate nor demote themselves: refused in Chinese, nothing changes', async ({
    page,
  }) => {
    const login = await useSession(page, 'admin');
    await page.goto('/admin?q=admin&role=admin');
    const row = page.locator('.el-table__body tr').filter({ hasText: '本人' });
    await expect(row).toBeVisible();

    await row.getByRole('button', { name: '停用' }).click();
    await page.getByRole('dialog', { name: '停用用户' }).getByRole('button', { name: '停用' }).click();
    await expect(toast(page, '不能停用自己或修改自己的角色')).toBeVisible();

    await row.getByRole('button', { name: '编辑' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑用户' });
    // The select's shown value lies over its input: click where a person would.
    await dialog.getByLabel('角色').click({ force: true });
    await page.getByRole('option', { name: '服务专员' }).click();
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(toast(page, '不能停用自己或修改自己的角色').last()).toBeVisible();
    await expect(dialog).toBeVisible();

    const me = await apiAs(page, login.accessToken, 'GET', `/users/${login.user.id}`);
    expect(me).toMatchObject({ role: 'admin', active: true, version: login.user.version });
  });

  test('an edit made from a stale reading says so and keeps what was typed', async ({ page }) => {
    const login = await useSession(page, 'admin');
    const suffix = uniqueSuffix();
    const user = await apiAs(page, login.accessToken, 'POST', '/users', {
      username: `sup.${suffix}`,
      password: `start-${suffix}-pw`,
      displayName: `科长${suffix}`,
      role: 'supervisor',
    });
    await page.goto(`/admin?q=${suffix}`);
    await expect(page.locator('.el-table__body tr').filter({ hasText: user.username })).toContainText('全市');
    await page.getByRole('button', { name: '编辑' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑用户' });
    await dialog.getByLabel('姓名').fill(`科长${suffix}（改）`);

    // Meanwhile someone else changes the phone.
    await apiAs(page, login.accessToken, 'PATCH', `/users/${user.id}`, { phone: '13911112222', version: user.version });

    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog.getByRole('alert')).toContainText('该用户已被他人修改');
    await dialog.getByRole('button', { name: '重新载入' }).click();
    await expect(dialog.getByRole('status')).toContainText('他人修改了手机号：— → 13911112222');
    await expect(dialog.getByLabel('姓名')).toHaveValue(`科长${suffix}（改）`);
    await expect(dialog.getByLabel('手机号')).toHaveValue('13911112222');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog).toBeHidden();
    const saved = await apiAs(page, login.accessToken, 'GET', `/users/${user.id}`);
    expect(saved).toMatchObject({ displayName: `科长${suffix}（改）`, phone: '13911112222' });
  });

  test('at 375 px the user list keeps names and actions in view', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await useSession(page, 'admin');
    await page.goto('/admin');
    await expect(page.getByRole('button', { name: '新增用户' })).toBeVisible();
    await expect(page.locator('.el-table__body tr').first().getByRole('button', { name: '编辑' })).toBeVisible();
    await screen(page, 'admin-users-375');
  });
});

test.describe('系统管理 · 系统设置', () => {
  test('the urgent SLA changed stays changed; a save over someone else’s change is explained', async ({ page }) => {
    const login = await useSession(page, 'admin');
    const original = await apiAs(page, login.accessToken, 'GET', '/settings');
    const urgent = page.getByLabel('紧急（天）');
    try {
      await page.goto('/admin?tab=settings');
      await expect(page.getByRole('tab', { name: '系统设置' })).toHaveAttribute('aria-selected', 'true');
      await expect(urgent).toHaveValue(String(original.slaDays.urgent));
      await expect(page.getByLabel('走访到期前提醒（天）')).toHaveValue(
        String(original.reminderOffsets.visitUpcomingDays),
      );
      await screen(page, 'admin-settings');

      const changed = original.slaDays.urgent === 2 ? 3 : 2;
      await urgent.fill(String(changed));
      await page.getByRole('button', { name: '保存设置' }).click();
      await expect(toast(page, '系统设置已保存')).toBeVisible();
      await page.reload();
      await expect(urgent).toHaveValue(String(changed));

      // Someone else saves the high SLA meanwhile (naming that value only: the others stay as they
      // are); this page's save is refused and explained.
      const now = await apiAs(page, login.accessToken, 'GET', '/settings');
      const high = now.slaDays.high + 1;
      await apiAs(page, login.accessToken, 'PATCH', '/settings', { slaDays: { high }, version: now.version });
      const mine = changed + 1;
      await urgent.fill(String(mine));
      await page.getByRole('button', { name: '保存设置' }).click();
      const conflict = page.getByTestId('settings-conflict');
      await expect(conflict).toContainText('系统设置已被他人修改');
      await expect(conflict).toContainText(`他人修改了高（天）：${now.slaDays.high} → ${high}`);
      await expect(page.getByLabel('高（天）')).toHaveValue(String(high));
      // The latest values are shown; this person's own input waits to be re-applied.
      await expect(urgent).toHaveValue(String(changed));
      await expect(page.getByText(`您的输入：${mine}`)).toBeVisible();
      await conflict.getByRole('button', { name: '全部重新应用' }).click();
      await expect(urgent).toHaveValue(String(mine));
      await page.getByRole('button', { name: '保存设置' }).click();
      await expect(toast(page, '系统设置已保存')).toBeVisible();
      await expect(conflict).toBeHidden();
      const saved = await apiAs(page, login.accessToken, 'GET', '/settings');
      expect(saved.slaDays).toEqual({ ...original.slaDays, urgent: mine, high });
    } finally {
      // Other journeys compute due dates from the settings: put them back as they were.
      const latest = await apiAs(page, login.accessToken, 'GET', '/settings');
      await apiAs(page, login.accessToken, 'PATCH', '/settings', {
        slaDays: original.slaDays,
        version: latest.version,
      });
    }
  });
});
