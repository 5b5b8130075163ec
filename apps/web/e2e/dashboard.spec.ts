import type { Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { clickBar } from './support/data';

interface Dashboard {
  enterprises: number;
  enterprisesWithShortage: number;
  totalShortage: number;
  visits: { last30Days: number; coverage30Days: number; overdue: number };
  problems: { open: number; awaitingReview: number; overdue: number };
}
interface Workload {
  items: { commissionerId: string; displayName: string; overdueProblems: number }[];
  total: number;
}
interface Summary {
  items: { key: string; name: string; openDemands: number }[];
}

const formatted = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
const figure = (page: Page, label: string) => page.getByRole('link', { name: new RegExp(`^${label} `) });

test.describe('统计看板', () => {
  test('each figure is the API’s and opens the list it counts', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    await page.goto('/dashboard');
    await expect(figure(page, '逾期问题')).toBeVisible();
    await expect(page.getByTestId('problems-by-status')).not.toHaveAttribute('data-bars', '[]');
    // Read after the page's own request: other people's work changes the figures over time.
    const d = await apiAs<Dashboard>(page, token, 'GET', '/dashboard');
    await expect(figure(page, '重点企业')).toContainText(formatted(d.enterprises));
    await expect(figure(page, '缺工企业')).toContainText(formatted(d.enterprisesWithShortage));
    await expect(figure(page, '缺工总人数')).toContainText(formatted(d.totalShortage));
    await expect(figure(page, '近30天走访覆盖率')).toContainText(`${Math.round(d.visits.coverage30Days * 1000) / 10}%`);
    await expect(figure(page, '近30天走访')).toContainText(formatted(d.visits.last30Days));
    await expect(figure(page, '走访逾期企业')).toContainText(formatted(d.visits.overdue));
    await expect(figure(page, '未办结问题')).toContainText(formatted(d.problems.open));
    await expect(figure(page, '逾期问题')).toContainText(formatted(d.problems.overdue));
    await expect(figure(page, '待审核问题')).toContainText(formatted(d.problems.awaitingReview));
    // The per-commissioner table: a page of the server's, by name; a header click asks the server to sort.
    const workload = await apiAs<Workload>(page, token, 'GET', '/dashboard/commissioners?pageSize=10');
    await expect(page.getByRole('link', { name: workload.items[0].displayName, exact: true })).toHaveAttribute(
      'href',
      `/enterprises?commissionerId=${workload.items[0].commissionerId}`,
    );
    await expect(page.getByText(`共 ${workload.total} 条`)).toBeVisible();
    await screen(page, 'dashboard');
    const overdueHeader = page.getByRole('columnheader', { name: '逾期问题' });
    await overdueHeader.click();
    const sortedAnswer = page.waitForResponse(
      (response) =>
        response.url().includes('/api/v1/dashboard/commissioners') && /sort=-overdueProblems/.test(response.url()),
    );
    await overdueHeader.click();
    const sorted = (await (await sortedAnswer).json()) as Workload;
    await expect(page.getByRole('row').nth(1)).toContainText(sorted.items[0].displayName);
    expect(sorted.items[0].overdueProblems).toBeGreaterThanOrEqual(
      sorted.items[sorted.items.length - 1].overdueProblems,
    );

    // 逾期问题 opens the overdue problems: as many as the figure.
    await figure(page, '逾期问题').click();
    await expect(page).toHaveURL(/\/problems\?overdue=true$/);
    const now = await apiAs<Dashboard>(page, token, 'GET', '/dashboard');
    const overdue = await apiAs<{ total: number }>(page, token, 'GET', '/problems?overdue=true&pageSize=1');
    expect(overdue.total).toBe(now.problems.overdue);
    await expect(page.getByText(`共 ${overdue.total} 条`)).toBeVisible();
  });

  test('a bar opens the list it stands for', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'sup.city');
    await page.goto('/dashboard');
    const byDistrict = page.getByTestId('shortage-by-district');
    await expect(byDistrict).not.toHaveAttribute('data-bars', '[]');
    const summary = await apiAs<Summary>(page, token, 'GET', '/demands/summary?groupBy=district');
    const bar = summary.items[0];
    await clickBar(byDistrict, bar.key);
    await expect(page).toHaveURL(new RegExp(`/demands\\?.*districtCode=${bar.key}`));
    await expect(page.getByText(`共 ${bar.openDemands} 条`)).toBeVisible();

    await page.goto('/dashboard');
    const byIndustry = page.getByTestId('shortage-by-industry');
    const industries = await apiAs<Summary>(page, token, 'GET', '/demands/summary?groupBy=industry');
    await clickBar(byIndustry, industries.items[1].key);
    await expect(page).toHaveURL(new RegExp(`industryCode=${industries.items[1].key}`));
    await expect(page.getByText(`共 ${industries.items[1].openDemands} 条`)).toBeVisible();

    await page.goto('/dashboard');
    const problems = page.getByTestId('problems-by-status');
    await clickBar(problems, 'resolved');
    await expect(page).toHaveURL(/\/problems\?status=resolved$/);
    const d = await apiAs<Dashboard>(page, token, 'GET', '/dashboard');
    await expect(page.getByText(`共 ${d.problems.awaitingReview} 条`)).toBeVisible();
  });

  test('a commissioner sees their own figures, on a phone too', async ({ page }) => {
    const { accessToken: token } = await useSession(page, 'comm.zhang');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto('/dashboard');
    const d = await apiAs<Dashboard>(page, token, 'GET', '/dashboard');
    await expect(figure(page, '重点企业')).toContainText(formatted(d.enterprises));
    await expect(page.getByText('我的工作量')).toBeVisible();
    const own = await apiAs<Workload>(page, token, 'GET', '/dashboard/commissioners?pageSize=10');
    await expect(page.getByRole('link', { name: own.items[0].displayName, exact: true })).toBeVisible();
    await expect(page.getByTestId('problems-by-status')).not.toHaveAttribute('data-bars', '[]');
    await screen(page, 'dashboard-375');
  });
});
