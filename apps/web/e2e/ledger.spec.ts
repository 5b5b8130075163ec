import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { pick } from './support/data';

interface Row {
  id: string;
  name: string;
}
interface EnterprisePage {
  items: Row[];
  total: number;
}

/** The enterprise names the table shows, top to bottom. */
function tableNames(page: Page) {
  return page.locator('.el-table__body tbody tr a[href^="/enterprises/"]:not([href$="/visits/new"])');
}

/** What the API answers for the query the page's URL holds (the screen must show the same). */
async function apiPageFor(page: Page, token: string): Promise<EnterprisePage> {
  const query = new URL(page.url()).searchParams;
  if (!query.has('status')) query.set('status', 'active');
  return apiAs<EnterprisePage>(page, token, 'GET', `/enterprises?${query}`);
}

async function expectTableMatches(page: Page, token: string): Promise<EnterprisePage> {
  const expected = await apiPageFor(page, token);
  await expect(page.getByText(`共 ${expected.total} 条`)).toBeVisible();
  await expect(tableNames(page)).toHaveText(expected.items.map((row) => row.name));
  return expected;
}

test.describe('重点企业台账', () => {
  test('filters, sorts and pages on the server, everything in the URL', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    await page.goto('/enterprises');
    await expect(page.getByRole('button', { name: '新增企业' })).toBeVisible();
    const all = await expectTableMatches(page, token);
    expect(all.total).toBeGreaterThan(20);
    await screen(page, 'ledger');

    // Filter: a tier and "has shortage"; the URL and the total follow the server.
    await pick(page, page.locator('.kd-search'), '类别', '区级重点');
    await page.getByText('有缺工').click();
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page).toHaveURL(/tier=district/);
    await expect(page).toHaveURL(/hasShortage=true/);
    const filtered = await expectTableMatches(page, token);
    expect(filtered.total).toBeLessThan(all.total);

    // Sort by shortage, ascending then descending.
    const shortageHeader = page.getByRole('columnheader', { name: '缺工人数' });
    await shortageHeader.click();
    await expect(page).toHaveURL(/sort=shortage/);
    await expectTableMatches(page, token);
    await shortageHeader.click();
    await expect(page).toHaveURL(/sort=-shortage/);
    const sorted = await expectTableMatches(page, token);

    // Reset keeps the sort but clears the filters; then page 2.
    await page.getByRole('button', { name: '重置' }).click();
    await expect(page).not.toHaveURL(/tier=/);
    await expect(page).toHaveURL(/sort=-shortage/);
    // (Totals are compared with the API's at the same moment: other people add enterprises meanwhile.)
    const firstPage = await expectTableMatches(page, token);
    await page.locator('.el-pager').getByText('2', { exact: true }).click();
    await expect(page).toHaveURL(/page=2/);
    const secondPage = await expectTableMatches(page, token);
    expect(secondPage.items[0].id).not.toBe(firstPage.items[0].id);
    await expect(tableNames(page).first()).not.toHaveText(firstPage.items[0].name);
    expect(sorted.items.length).toBeGreaterThan(0);

    // Reload and back keep the state.
    await page.reload();
    await expect(page).toHaveURL(/page=2/);
    await expectTableMatches(page, token);
    await page.goBack();
    await expect(page).not.toHaveURL(/page=2/);
    await expectTableMatches(page, token);
  });

  test('a workbench link shows its filter as a removable condition', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    for (const [query, label] of [
      ['visitDueWithinDays=7', '7 天内需走访（含已逾期）'],
      ['demandsStale=true', '用工需求清单待更新'],
      ['hasCommissioner=false', '未分配服务专员'],
    ]) {
      await page.goto(`/enterprises?${query}`);
      const condition = page.locator('.kd-conditions').getByText(label);
      await expect(condition).toBeVisible();
      await expectTableMatches(page, token);
    }
    await page.locator('.kd-conditions .el-tag__close').click();
    await expect(page).not.toHaveURL(/hasCommissioner/);
    await expect(page.locator('.kd-conditions')).toHaveCount(0);
    await expectTableMatches(page, token);

    await page.goto('/enterprises?visitOverdue=true');
    await expect(page.getByRole('checkbox', { name: '走访逾期' })).toBeChecked();
    const overdue = await expectTableMatches(page, token);
    if (overdue.total > 0)
      await expect(
        page
          .locator('.el-table__body')
          .getByText(/逾期 \d+ 天|今日已到期/)
          .first(),
      ).toBeVisible();
  });

  test('the column chooser hides a column for this person until restored', async ({ page }) => {
    await useSession(page, 'sup.city');
    await page.goto('/enterprises');
    const creditCodeHeader = page.getByRole('columnheader', { name: '统一社会信用代码' });
    await expect(creditCodeHeader).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '联系电话' })).toHaveCount(0);

    await page.getByRole('button', { name: '列设置' }).click();
    const chooser = page.getByRole('group', { name: '显示的列' });
    await chooser.getByText('统一社会信用代码').click();
    await chooser.getByText('联系电话').click();
    await expect(creditCodeHeader).toHaveCount(0);
    await expect(page.getByRole('columnheader', { name: '联系电话' })).toBeVisible();
    await expect(chooser.getByRole('checkbox', { name: '企业名称' })).toBeDisabled();
    await screen(page, 'ledger-columns');

    await page.reload();
    await expect(page.getByRole('columnheader', { name: '企业名称' })).toBeVisible();
    await expect(creditCodeHeader).toHaveCount(0);
    await expect(page.getByRole('columnheader', { name: '联系电话' })).toBeVisible();

    await page.getByRole('button', { name: '列设置' }).click();
    await chooser.getByRole('button', { name: '恢复默认' }).click();
    await expect(creditCodeHeader).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '联系电话' })).toHaveCount(0);
    await page.reload();
    await expect(creditCodeHeader).toBeVisible();
  });

  test('a commissioner sees only their own enterprises, without managers’ tools', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'comm.zhang');
    await page.goto('/enterprises');
    await expectTableMatches(page, token);
    await expect(page.getByRole('button', { name: '新增企业' })).toHaveCount(0);
    await expect(page.locator('.kd-search').getByLabel('服务专员', { exact: true })).toHaveCount(0);
    await expect(page.locator('.kd-search').getByLabel('企业', { exact: true })).toBeVisible();
  });

  test('fits a 375 px screen; the table scrolls inside its card', async ({ page }) => {
    await useSession(page, 'sup.city');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto('/enterprises?visitDueWithinDays=7');
    await expect(tableNames(page).first()).toBeVisible();
    const widest = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(widest).toBeLessThanOrEqual(375);
    await screen(page, 'ledger-375');
  });
});
