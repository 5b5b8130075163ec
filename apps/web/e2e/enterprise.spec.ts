import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { uniqueSuffix, freshCreditCode, pick } from './support/data';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A wrong check character for a valid code. */
function withWrongCheck(code: string): string {
  const wrong = CHARSET[(CHARSET.indexOf(code[17]) + 1) % CHARSET.length];
  return code.slice(0, 17) + wrong;
}

/** An enterprise of this journey's own, made through the API. */
async function newEnterprise(page: Page, token: string, extra: Record<string, unknown> = {}) {
  return apiAs<{ id: string; name: string; version: number; contactName: string }>(
    page,
    token,
    'POST',
    '/enterprises',
    {
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
    },
  );
}

test.describe('企业', () => {
  test('a supervisor adds an enterprise: a wrong credit code is refused on its field, a right one saved and found', async ({
    page,
  }) => {
    await useSession(page, 'sup.city');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/enterprises')
        posts.push(request.url());
    });
    await page.goto('/enterprises');
    await page.getByRole('button', { name: '新增企业' }).click();
    const dialog = page.getByRole('dialog', { name: '新增企业' });
    await expect(dialog).toBeVisible();

    const name = `新增测试企业${uniqueSuffix()}`;
    const code = freshCreditCode();
    await dialog.getByLabel('企业名称').fill(name);
    const creditCode = dialog.getByLabel('统一社会信用代码');
    // Checked as typed: too short, then a wrong check character.
    await creditCode.fill(code.slice(0, 10));
    await expect(dialog.getByText('应为 18 位，已输入 10 位')).toBeVisible();
    await creditCode.fill(withWrongCheck(code).toLowerCase());
    await expect(creditCode).toHaveValue(withWrongCheck(code));
    await expect(dialog.getByText('校验位不符，请核对')).toBeVisible();
    await pick(page, dialog, '所属区县', '南关区');
    await pick(page, dialog, '行业', '制造业');
    await pick(page, dialog, '重点企业类别', '市级重点');
    await dialog.getByLabel('员工总数').fill('350');
    await dialog.getByLabel('地址').fill('长春市南关区人民大街 100 号');
    await dialog.getByLabel('联系人').fill('钱经理');
    await dialog.getByLabel('联系电话').fill('1390000');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog.getByText('手机号或座机号格式不正确')).toBeVisible();
    await expect(dialog.getByText('校验位不符，请核对')).toBeVisible();
    await screen(page, 'enterprise-new');
    expect(posts, 'nothing is sent while a field is wrong').toEqual([]);

    await creditCode.fill(code);
    await expect(dialog.getByText('校验位不符，请核对')).toHaveCount(0);
    await dialog.getByLabel('联系电话').fill('0431-88886666');
    await dialog.getByLabel('联系电话').press('Enter');
    await expect(page).toHaveURL(/\/enterprises\/[0-9a-f-]{36}$/);
    expect(posts).toHaveLength(1);
    await expect(page.getByRole('heading', { name })).toBeVisible();
    await expect(page.locator('.kd-enterprise-head').getByText(code)).toBeVisible();

    // Found in the ledger by its name.
    await page.getByRole('link', { name: '重点企业台账' }).first().click();
    await page.locator('.kd-search').getByLabel('企业', { exact: true }).fill(name);
    await page.locator('.kd-search').getByLabel('企业', { exact: true }).press('Enter');
    await expect(page).toHaveURL(/q=/);
    await expect(page.getByText('共 1 条')).toBeVisible();
    await expect(page.getByRole('link', { name })).toBeVisible();
  });

  test('two tabs edit the same enterprise: the second is told who changed what, reloads, and keeps what it typed', async ({
    page,
    context,
  }) => {
    const { accessToken: token, user } = await useSession(page, 'sup.city');
    const enterprise = await newEnterprise(page, token);
    await page.goto(`/enterprises/${enterprise.id}`);
    await expect(page.getByRole('heading', { name: enterprise.name })).toBeVisible();

    const second = await context.newPage();
    await second.goto(`/enterprises/${enterprise.id}`);
    await expect(second.getByRole('heading', { name: enterprise.name })).toBeVisible();

    // Both start editing from the same version.
    await page.getByRole('button', { name: '编辑' }).click();
    await second.getByRole('button', { name: '编辑' }).click();

    // Tab 1 saves first.
    await page.getByLabel('联系人').fill('孙第一');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('已保存')).toBeVisible();

    // Tab 2 saves from the old version: refused, and told who changed what.
    await second.getByLabel('联系人').fill('李第二');
    await second.getByLabel('员工总数').fill('260');
    await second.getByRole('button', { name: '保存' }).click();
    const notice = second.getByRole('alert').filter({ hasText: '保存未成功' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(user.displayName);
    await expect(notice).toContainText('联系人：赵联系 → 孙第一');
    await expect(second.getByLabel('联系人')).toHaveValue('李第二');
    await screen(second, 'enterprise-conflict');

    // Reloading keeps what tab 2 typed and shows the other value beside it.
    await notice.getByRole('button', { name: '重新加载' }).click();
    await expect(second.getByRole('alert').filter({ hasText: '已载入最新信息' })).toBeVisible();
    await expect(second.getByLabel('联系人')).toHaveValue('李第二');
    await expect(second.getByLabel('员工总数')).toHaveValue('260');
    await expect(second.getByText('他人已改为：孙第一')).toBeVisible();
    await second.getByRole('button', { name: '保存' }).click();
    await expect(second.getByText('已保存')).toBeVisible();
    await expect(second.locator('.kd-enterprise-head')).toContainText('李第二');

    const saved = await apiAs(page, token, 'GET', `/enterprises/${enterprise.id}`);
    expect(saved).toMatchObject({ contactName: '李第二', employeeCount: 260, version: enterprise.version + 2 });

    // The history tells the same story.
    await second.getByRole('tab', { name: '变更记录' }).click();
    await expect(second).toHaveURL(/tab=history/);
    const history = second.locator('.kd-history');
    await expect(history).toContainText('联系人：孙第一 → 李第二');
    await expect(history).toContainText('员工总数：200 → 260');
    await expect(history).toContainText('联系人：赵联系 → 孙第一');
    await screen(second, 'enterprise-history');
    await second.close();
  });

  test('a supervisor assigns a commissioner with a reason and archives and restores, each recorded', async ({
    page,
  }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    const enterprise = await newEnterprise(page, token);
    // A demo commissioner, found in the picker by typing part of their name.
    const liu = await (
      await page.request.post('/api/v1/auth/login', { data: { username: 'comm.liu', password: 'keydesk-demo' } })
    ).json();
    const commissioner: { id: string; displayName: string } = liu.user;
    await page.goto(`/enterprises/${enterprise.id}`);
    await expect(page.locator('.kd-enterprise-head')).toContainText('未分配');

    await page.getByRole('button', { name: '分配专员' }).click();
    const dialog = page.getByRole('dialog', { name: '分配服务专员' });
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(dialog.getByText('请选择服务专员')).toBeVisible();
    await dialog.getByLabel('服务专员', { exact: true }).click({ force: true });
    await dialog.getByLabel('服务专员', { exact: true }).pressSequentially(commissioner.displayName.slice(0, 2));
    await page.getByRole('option', { name: new RegExp(`^${commissioner.displayName}`) }).click();
    await dialog.getByLabel('原因').fill('新纳入台账，按片区分配');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.kd-enterprise-head')).toContainText(commissioner.displayName);
    await page.getByRole('tab', { name: '分配记录' }).click();
    await expect(page.getByRole('cell', { name: '新纳入台账，按片区分配' })).toBeVisible();

    await page.getByRole('button', { name: '归档', exact: true }).click();
    await page.getByRole('dialog', { name: '归档企业' }).getByRole('button', { name: '归档' }).click();
    await expect(page.locator('.kd-enterprise-head')).toContainText('已归档');
    await page.getByRole('button', { name: '恢复', exact: true }).click();
    await page.getByRole('dialog', { name: '恢复企业' }).getByRole('button', { name: '恢复' }).click();
    await expect(page.locator('.kd-enterprise-head')).toContainText('正常');
    await page.getByRole('tab', { name: '变更记录' }).click();
    await expect(page.locator('.kd-history')).toContainText(`服务专员：（空） → ${commissioner.displayName}`);
    await expect(page.locator('.kd-history')).toContainText('状态：已归档 → 正常');
  });

  test('a commissioner opening another commissioner’s enterprise by its address sees 不存在或无权查看', async ({
    page,
  }) => {
    const zhang = await useSession(page, 'comm.zhang');
    const supervisor = await (
      await page.request.post('/api/v1/auth/login', { data: { username: 'sup.city', password: 'keydesk-demo' } })
    ).json();
    const directory = await apiAs<{ items: { id: string }[] }>(
      page,
      supervisor.accessToken,
      'GET',
      '/directory/commissioners?pageSize=50',
    );
    const other = directory.items.find((c) => c.id !== zhang.user.id)!;
    const theirs = await newEnterprise(page, supervisor.accessToken, { commissionerId: other.id });

    await page.goto(`/enterprises/${theirs.id}`);
    await expect(page.getByText('不存在或无权查看')).toBeVisible();
    await expect(page.getByText(theirs.name)).toHaveCount(0);

    // Their own enterprise opens, with only the fields a commissioner keeps current to edit.
    const own = await newEnterprise(page, supervisor.accessToken, { commissionerId: zhang.user.id });
    await page.goto(`/enterprises/${own.id}`);
    await expect(page.getByRole('heading', { name: own.name })).toBeVisible();
    await expect(page.getByRole('button', { name: '分配专员' })).toHaveCount(0);
    await page.getByRole('button', { name: '编辑' }).click();
    await expect(page.getByRole('textbox', { name: '联系人' })).toBeEditable();
    await expect(page.getByRole('textbox', { name: '企业名称' })).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: '统一社会信用代码' })).toHaveCount(0);
  });

  test('an enterprise’s page shows its facts and its demands, problems and visits as the API pages them', async ({
    page,
  }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    const [busiest] = (await apiAs(page, token, 'GET', '/enterprises?sort=-shortage&pageSize=1')).items;
    const enterprise = await apiAs(page, token, 'GET', `/enterprises/${busiest.id}`);
    await page.goto(`/enterprises/${enterprise.id}`);
    const head = page.locator('.kd-enterprise-head');
    await expect(page.getByRole('heading', { name: enterprise.name })).toBeVisible();
    await expect(head).toContainText(enterprise.creditCode);
    await expect(head).toContainText(enterprise.districtName);
    await expect(head).toContainText(enterprise.shortage.toLocaleString('en-US'));
    await screen(page, 'enterprise');

    const lists: [string, string][] = [
      ['用工需求', `/enterprises/${enterprise.id}/demands?status=open&pageSize=10`],
      ['问题', `/enterprises/${enterprise.id}/problems?status=all&pageSize=10`],
      ['走访', `/enterprises/${enterprise.id}/visits?pageSize=10`],
    ];
    for (const [tab, path] of lists) {
      const expected = await apiAs(page, token, 'GET', path);
      await page.getByRole('tab', { name: tab }).click();
      const pane = page.getByRole('tabpanel', { name: tab });
      await expect(pane.getByText(`共 ${expected.total} 条`)).toBeVisible();
      await expect(pane.locator('.el-table__body tbody tr')).toHaveCount(expected.items.length);
      if (tab === '问题' && expected.items.length > 0) {
        await expect(pane.getByRole('link', { name: expected.items[0].title })).toHaveAttribute(
          'href',
          `/problems/${expected.items[0].id}`,
        );
      }
    }
  });

  test('fits a 375 px screen', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    const [enterprise] = (await apiAs(page, token, 'GET', '/enterprises?sort=-shortage&pageSize=1')).items;
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`/enterprises/${enterprise.id}`);
    await expect(page.getByRole('heading', { name: enterprise.name })).toBeVisible();
    for (const tab of ['变更记录', '用工需求', '问题', '走访', '基本信息']) {
      await page.getByRole('tab', { name: tab }).click();
      const widest = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(widest, `${tab} at 375 px`).toBeLessThanOrEqual(375);
    }
    await screen(page, 'enterprise-375');
  });
});
