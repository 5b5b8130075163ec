import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { uniqueSuffix, freshCreditCode, clickBar } from './support/data';

interface Summary {
  items: { key: string; name: string; openDemands: number; shortage: number }[];
  totals: { openDemands: number; shortage: number };
}
interface Demand {
  id: string;
  version: number;
  headcount: number;
  filledCount: number;
}

/** The total the API answers for the list query the page's URL holds. */
async function apiTotal(page: Page, token: string): Promise<number> {
  const query = new URL(page.url()).searchParams;
  query.delete('groupBy');
  query.set('pageSize', '1');
  return (await apiAs<{ total: number }>(page, token, 'GET', `/demands?${query}`)).total;
}

test.describe('用工需求清单', () => {
  test('the list agrees with the API; a summary bar opens its open demands', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    await page.goto('/demands');
    await expect(page.getByText(`共 ${await apiTotal(page, token)} 条`)).toBeVisible();
    const chart = page.getByTestId('demand-summary-chart');
    await expect(chart).not.toHaveAttribute('data-bars', '[]');
    await screen(page, 'demands');

    // The summary by industry: the table shows the server's figures and totals.
    await page.locator('.el-radio-button', { hasText: '行业' }).click();
    await expect(page).toHaveURL(/groupBy=industry/);
    const byIndustry = await apiAs<Summary>(page, token, 'GET', '/demands/summary?groupBy=industry');
    expect(byIndustry.items.length).toBeGreaterThan(1);
    const table = page.getByTestId('demand-summary-table');
    await expect(table.locator('.el-table__body tbody tr').first()).toContainText(byIndustry.items[0].name);
    await expect(table.locator('.el-table__footer')).toContainText(String(byIndustry.totals.openDemands));

    // A bar of the chart, clicked where it is drawn: the list shows that industry's open demands.
    const [first, second] = byIndustry.items;
    await expect(chart).toHaveAttribute('data-bars', new RegExp(`"key":"${first.key}"`));
    await clickBar(chart, first.key);
    await expect(page).toHaveURL(new RegExp(`industryCode=${first.key}`));
    await expect(page.getByText(`共 ${first.openDemands} 条`)).toBeVisible();
    expect(await apiTotal(page, token)).toBe(first.openDemands);

    // The table's row does the same.
    await table.getByRole('link', { name: second.name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`industryCode=${second.key}`));
    await expect(page.getByText(`共 ${second.openDemands} 条`)).toBeVisible();
    expect(await apiTotal(page, token)).toBe(second.openDemands);

    // Reload keeps the filter and the grouping.
    await page.reload();
    await expect(page.locator('.el-radio-button.is-active')).toHaveText('行业');
    await expect(page.getByText(`共 ${await apiTotal(page, token)} 条`)).toBeVisible();

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto('/demands');
    await expect(page.getByText(`共 ${await apiTotal(page, token)} 条`)).toBeVisible();
    await expect(chart).not.toHaveAttribute('data-bars', '[]');
    await screen(page, 'demands-375');
  });

  test('updating the filled count; a change by someone else meanwhile is explained and the typing kept', async ({
    page,
  }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    const enterprise = await apiAs<{ id: string }>(page, token, 'POST', '/enterprises', {
      name: `需求旅程企业${uniqueSuffix()}`,
      creditCode: freshCreditCode(),
      industryCode: 'C',
      districtCode: '220102',
      address: '长春市南关区测试大街 3 号',
      tier: 'district',
      employeeCount: 120,
      contactName: '钱联系',
      contactPhone: '13900000001',
    });
    const occupation = `旅程焊工${uniqueSuffix()}`;
    const demand = await apiAs<Demand>(page, token, 'POST', `/enterprises/${enterprise.id}/demands`, {
      occupation,
      occupationCategory: '6',
      headcount: 5,
    });

    await page.goto(`/demands?occupation=${encodeURIComponent(occupation)}`);
    await expect(page.getByText('共 1 条')).toBeVisible();
    const row = page.locator('.el-table__body tbody tr', { hasText: occupation }).first();
    await page.getByRole('button', { name: '更新人数' }).first().click();
    const dialog = page.getByRole('dialog', { name: '更新用工需求' });
    const filled = dialog.locator('.el-form-item', { hasText: '已招人数' }).locator('input');
    await filled.fill('2');
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog).toBeHidden();
    // 已招 and 缺口, by their columns (5 wanted − 2 filled).
    await expect(row.locator('td').nth(3)).toHaveText('2');
    await expect(row.locator('td').nth(4)).toHaveText('3');
    expect((await apiAs<Demand>(page, token, 'GET', `/demands/${demand.id}`)).filledCount).toBe(2);

    // Someone raises the headcount while the person types 4 filled.
    await page.getByRole('button', { name: '更新人数' }).first().click();
    await filled.fill('4');
    const current = await apiAs<Demand>(page, token, 'GET', `/demands/${demand.id}`);
    await apiAs(page, token, 'PATCH', `/demands/${demand.id}`, { version: current.version, headcount: 8 });
    await dialog.getByRole('button', { name: '保存' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText('这条需求已被他人修改');
    await expect(alert).toContainText('需求人数 5 → 8');
    await expect(filled).toHaveValue('4');
    // The headcount the person left alone shows the other person's value, so saving keeps it.
    await expect(dialog.locator('.el-form-item', { hasText: '需求人数' }).locator('input')).toHaveValue('8');
    await screen(page, 'demand-edit');

    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog).toBeHidden();
    const saved = await apiAs<Demand>(page, token, 'GET', `/demands/${demand.id}`);
    expect([saved.headcount, saved.filledCount]).toEqual([8, 4]);

    // Cancelled: gone from the open list.
    await page.getByRole('button', { name: '取消需求' }).first().click();
    await page.getByRole('dialog', { name: '取消需求' }).getByRole('button', { name: '取消需求' }).click();
    await expect(page.getByText('共 0 条')).toBeVisible();
    expect((await apiAs<{ status: string }>(page, token, 'GET', `/demands/${demand.id}`)).status).toBe('cancelled');
  });
});
