import type { Browser, Page } from '@playwright/test';
import { apiAs, expect, screen, test, useSession } from './support/app';
import { newEnterprise, tokenOf, toast, uniqueSuffix } from './support/data';

/** A person's own window: supervisors and commissioners act side by side in these journeys. */
async function windowOf(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId: 'America/Los_Angeles', locale: 'zh-CN' })).newPage();
  await useSession(page, username);
  return page;
}

/** A problem of comm.zhang's on a new enterprise of theirs, reported by sup.city. */
async function zhangsProblem(page: Page) {
  const supervisor = await tokenOf(page.request, 'sup.city');
  const zhang = await apiAs(page, await tokenOf(page.request, 'comm.zhang'), 'GET', '/auth/me');
  const enterprise = await newEnterprise(page, supervisor, { commissionerId: zhang.id });
  const problem = await apiAs(page, supervisor, 'POST', `/enterprises/${enterprise.id}/problems`, {
    title: `社保补缴咨询${uniqueSuffix()}`,
    category: 'social_insurance',
    priority: 'normal',
    description: '企业反映新员工社保补缴流程不清楚。',
  });
  return { supervisor, problem, enterprise };
}

async function act(page: Page, button: string, dialogField?: { label: string; text: string }): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  if (dialogField) {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(dialogField.label).fill(dialogField.text);
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(dialog).toBeHidden();
  }
}

test.describe('问题详情', () => {
  test('sent back with a note, resolved again, approved: each step on the timeline, each person offered only their actions', async ({
    browser,
    page,
  }) => {
    const { problem } = await zhangsProblem(page);
    const zhang = await windowOf(browser, 'comm.zhang');
    const supervisor = await windowOf(browser, 'sup.city');
    const timeline = (p: Page) => p.getByTestId('timeline');

    await zhang.goto(`/problems/${problem.id}`);
    // The assignee may start or resolve it; approving is not theirs.
    await expect(zhang.getByRole('button', { name: '开始办理' })).toBeVisible();
    await expect(zhang.getByRole('button', { name: '通过' })).toHaveCount(0);
    await act(zhang, '办结', { label: '办理结果', text: '已电话指导企业补缴流程' });
    await expect(zhang.locator('.kd-problem-head')).toContainText('待审核');

    await supervisor.goto(`/problems/${problem.id}`);
    await expect(supervisor.getByRole('button', { name: '开始办理' })).toHaveCount(0);
    await screen(supervisor, 'problem-review');
    await supervisor.getByRole('button', { name: '退回', exact: true }).click();
    const sendBack = supervisor.getByRole('dialog', { name: '退回问题' });
    await sendBack.getByRole('button', { name: '确定' }).click();
    await expect(sendBack.getByText('请填写退回原因')).toBeVisible();
    await sendBack.getByLabel('退回原因').fill('请附上企业确认的补缴回执');
    await sendBack.getByRole('button', { name: '确定' }).click();
    await expect(sendBack).toBeHidden();
    await expect(supervisor.locator('.kd-problem-head')).toContainText('办理中');
    await expect(timeline(supervisor)).toContainText('请附上企业确认的补缴回执');

    await zhang.reload();
    await expect(zhang.locator('.kd-problem-head')).toContainText('办理中');
    await act(zhang, '办结', { label: '办理结果', text: '企业已补缴，回执已上传' });

    await supervisor.reload();
    await supervisor.getByRole('button', { name: '通过', exact: true }).click();
    await supervisor.getByRole('dialog', { name: '审核通过' }).getByRole('button', { name: '通过' }).click();
    await expect(supervisor.locator('.kd-problem-head')).toContainText('已办结');
    await expect(supervisor.getByRole('button', { name: '重新打开' })).toBeVisible();

    const steps = timeline(supervisor).locator('.el-timeline-item strong');
    await expect(steps).toHaveText(['登记问题', '办结', '退回', '办结', '审核通过']);
    await expect(timeline(supervisor)).toContainText('企业已补缴，回执已上传');
    await screen(supervisor, 'problem');
    const closed = await apiAs(page, await tokenOf(page.request, 'sup.city'), 'GET', `/problems/${problem.id}`);
    expect(closed).toMatchObject({ status: 'closed', resolution: '企业已补缴，回执已上传' });
  });

  test('two supervisors approve at once: the second is told who was first, and sees the problem as it now is', async ({
    browser,
    page,
  }) => {
    const { problem } = await zhangsProblem(page);
    const zhang = await tokenOf(page.request, 'comm.zhang');
    const resolved = await apiAs(page, zhang, 'POST', `/problems/${problem.id}/transitions`, {
      action: 'resolve',
      resolution: '已协调解决',
      version: problem.version,
    });
    expect(resolved.status).toBe('resolved');
    const first = await windowOf(browser, 'sup.city');
    const second = await windowOf(browser, 'sup.south');
    await first.goto(`/problems/${problem.id}`);
    await second.goto(`/problems/${problem.id}`);
    // Both have read the problem as resolved before either acts: on a slow machine the second's
    // read could otherwise land after the first approval, and it would never be offered 通过.
    await expect(second.getByRole('button', { name: '通过', exact: true })).toBeVisible();

    await first.getByRole('button', { name: '通过', exact: true }).click();
    await first.getByRole('dialog', { name: '审核通过' }).getByRole('button', { name: '通过' }).click();
    await expect(first.locator('.kd-problem-head')).toContainText('已办结');

    await second.getByRole('button', { name: '通过', exact: true }).click();
    await second.getByRole('dialog', { name: '审核通过' }).getByRole('button', { name: '通过' }).click();
    const conflict = second.getByTestId('problem-conflict');
    await expect(conflict).toContainText(
      /该问题已被 王建国（市局就业科） 于 \d{4}-\d\d-\d\d \d\d:\d\d 审核通过，当前状态：已办结/,
    );
    await expect(second.locator('.kd-problem-head')).toContainText('已办结');
    await expect(second.getByRole('button', { name: '通过', exact: true })).toHaveCount(0);
    await screen(second, 'problem-conflict');
  });

  test('a new priority shows its due date before it is saved; the review queue tab counts what it lists', async ({
    page,
  }) => {
    const { problem, supervisor } = await zhangsProblem(page);
    const settings = await apiAs(page, supervisor, 'GET', '/settings');
    await useSession(page, 'sup.city');
    await page.goto(`/problems/${problem.id}`);
    await page.getByRole('button', { name: '修改优先级' }).click();
    const dialog = page.getByRole('dialog', { name: '修改优先级' });
    await dialog.getByText('紧急', { exact: true }).click();
    const due = new Date(new Date(problem.reportedAt).getTime() + settings.slaDays.urgent * 86_400_000);
    const shown = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(due);
    await expect(dialog.getByTestId('new-due-at')).toContainText(shown);
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(toast(page, '优先级已改为紧急')).toBeVisible();
    const saved = await apiAs(page, supervisor, 'GET', `/problems/${problem.id}`);
    expect(saved).toMatchObject({ priority: 'urgent', dueAt: due.toISOString().replace('.000Z', '.000Z') });

    const queue = await apiAs(page, supervisor, 'GET', '/problems?status=resolved&pageSize=1');
    await page.goto('/problems?status=resolved');
    await expect(page.getByRole('tab', { name: `待审核（${queue.total}）` })).toBeVisible();
    await expect(page.locator('.el-pagination__total')).toHaveText(`共 ${queue.total} 条`);
    await screen(page, 'problems-review-queue');
  });

  test("a commissioner cannot reach another commissioner's problem by its address", async ({ page }) => {
    const { problem } = await zhangsProblem(page);
    await useSession(page, 'comm.liu');
    await page.goto(`/problems/${problem.id}`);
    await expect(page.getByText('不存在或无权查看')).toBeVisible();
    await expect(page.getByText(problem.title)).toHaveCount(0);
  });
});
