import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, screen, test, useSession } from './support/app';
import { freshCreditCode, uniqueSuffix } from './support/data';

const HEADER = [
  '企业名称',
  '统一社会信用代码',
  '行业',
  '所属区县',
  '地址',
  '重点企业类别',
  '员工总数',
  '联系人',
  '联系电话',
  '服务专员账号',
];

/** A CSV as Excel in China might save it, UTF-8 with a BOM; quoted where a cell needs it. */
function csv(rows: string[][]): Buffer {
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return Buffer.from(`\uFEFF${[HEADER, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** The same code with a wrong check character. */
function withWrongCheck(code: string): string {
  const last = code.at(-1) === '0' ? '1' : '0';
  return code.slice(0, -1) + last;
}

/** Runs an action that makes the browser download a file; answers the download and its bytes. */
async function downloaded(page: Page, action: () => Promise<void>): Promise<{ download: Download; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), action()]);
  expect(await download.failure()).toBeNull();
  const body = await readFile((await download.path())!);
  return { download, body };
}

/** Chooses a file in the dialog's upload area, as a person picks it in the file chooser. */
async function chooseFile(page: Page, dialog: Locator, name: string, buffer: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByText('点击选择文件').click()]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer });
  await expect(dialog.getByLabel('已选文件')).toContainText(name);
}

/** The row of a report table whose 行号 is `row`. */
function reportRow(dialog: Locator, row: number): Locator {
  // The inner locator is matched within each row, so it starts from the page.
  return dialog.getByRole('row').filter({ has: dialog.page().getByRole('cell', { name: String(row), exact: true }) });
}

test.describe('导入与导出', () => {
  test('a supervisor imports a district office’s file: errors shown, fixed, re-uploaded, applied; then exports it', async ({
    page,
  }) => {
    // 李秀兰 looks after 南关区 and 朝阳区: a row elsewhere is hers to fix, not a refusal of the file.
    await useSession(page, 'sup.south');
    await page.goto('/enterprises');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '导入企业台账' });
    await expect(dialog.getByRole('region', { name: '上传文件' })).toBeVisible();

    // ① The template.
    const template = await downloaded(page, () => dialog.getByRole('button', { name: '下载模板' }).click());
    expect(template.download.suggestedFilename()).toBe('企业台账导入模板.xlsx');
    expect(template.body.subarray(0, 2).toString()).toBe('PK');

    // A file with faults of every kind this office makes.
    const tag = uniqueSuffix();
    const names = [1, 2, 3, 4, 5].map((n) => `导入测试企业${tag}-${n}`);
    const codes = names.map(() => freshCreditCode());
    const row = (i: number, patch: Partial<Record<(typeof HEADER)[number], string>> = {}) => {
      const base: Record<string, string> = {
        企业名称: names[i],
        统一社会信用代码: codes[i],
        行业: i % 2 ? 'C' : '制造业',
        所属区县: i % 2 ? '220102' : '朝阳区',
        地址: `长春市南关区导入路 ${i + 1} 号`,
        重点企业类别: i % 2 ? 'municipal' : '区级重点',
        员工总数: String(100 + i),
        联系人: '钱联系',
        联系电话: '13900000000',
        服务专员账号: i === 0 ? 'comm.zhang' : '',
      };
      return HEADER.map((column) => patch[column] ?? base[column]);
    };
    const faulty = csv([
      row(0), // Excel row 2
      row(1), // 3
      row(2, { 统一社会信用代码: withWrongCheck(codes[2]) }), // 4
      row(3, { 联系电话: '12345' }), // 5
      row(4, { 所属区县: '二道区' }), // 6: not one of hers
      [...row(0)].map((value, i) => (i === 0 ? `${names[0]}（重复）` : value)), // 7: row 2's credit code again
    ]);
    await chooseFile(page, dialog, `南关区台账-${tag}.csv`, faulty);
    await screen(page, 'import-upload');
    await dialog.getByRole('button', { name: '上传并校验' }).click();

    // ② The report: what would happen, and each fault on its row and column.
    const report = dialog.getByRole('region', { name: '校验结果' });
    await expect(report.getByRole('group', { name: '有误' })).toHaveText(/有误\s*4$/);
    await expect(report.getByRole('group', { name: '新增' })).toHaveText(/新增\s*2$/);
    await expect(reportRow(report, 4)).toContainText('统一社会信用代码');
    await expect(reportRow(report, 5)).toContainText('联系电话');
    await expect(reportRow(report, 6)).toContainText('所属区县');
    await expect(reportRow(report, 7)).toContainText('统一社会信用代码');
    await expect(report.getByText(/有 4 行有误/)).toBeVisible();
    await expect(dialog.getByRole('button', { name: '全部导入' })).toBeDisabled();
    await expect(dialog.getByRole('button', { name: '仅导入有效行' })).toBeEnabled();
    await screen(page, 'import-report');
    await page.setViewportSize({ width: 375, height: 812 });
    await expect(dialog.getByRole('button', { name: '全部导入' })).toBeVisible();
    await screen(page, 'import-report-375');
    await page.setViewportSize({ width: 1440, height: 900 });

    const errorReport = await downloaded(page, () => report.getByRole('button', { name: '下载校验报告' }).click());
    expect(errorReport.download.suggestedFilename()).toBe(`南关区台账-${tag}-校验报告.xlsx`);
    expect(errorReport.body.length).toBeGreaterThan(0);

    // Fixed, re-uploaded: nothing at fault, all of it applied.
    await dialog.getByRole('button', { name: '重新上传' }).click();
    await expect(dialog.getByRole('region', { name: '上传文件' })).toBeVisible();
    const fixed = csv([row(0), row(1), row(2), row(3), row(4, { 所属区县: '南关区' })]);
    await chooseFile(page, dialog, `南关区台账-${tag}-改.csv`, fixed);
    await dialog.getByRole('button', { name: '上传并校验' }).click();
    await expect(report.getByRole('group', { name: '有误' })).toHaveText(/有误\s*0$/);
    await expect(report.getByRole('group', { name: '新增' })).toHaveText(/新增\s*5$/);
    await expect(dialog.getByRole('button', { name: '仅导入有效行' })).toHaveCount(0);
    await dialog.getByRole('button', { name: '全部导入' }).click();

    // ③ → ④ The worker writes it; the dialog follows it to the end.
    const result = dialog.getByRole('region', { name: '导入结果' });
    await expect(result.getByText('导入完成')).toBeVisible({ timeout: 30_000 });
    await expect(result).toContainText('新增 5 家企业');
    await screen(page, 'import-result');
    await dialog.getByRole('button', { name: '完成' }).click();
    await expect(dialog).toBeHidden();

    // The ledger has them, in her districts, the first with its commissioner.
    await page.getByRole('region', { name: '查询条件' }).getByLabel('企业', { exact: true }).fill(tag);
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.getByText('共 5 条')).toBeVisible();
    for (const name of names) await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    await expect(page.getByRole('row', { name: new RegExp(names[0]) })).toContainText('张伟');

    // 导出 takes exactly the list's filter: the five rows, as Excel and as CSV.
    const xlsx = await downloaded(page, async () => {
      await page.getByRole('button', { name: '导出', exact: true }).click();
      await page.getByRole('menuitem', { name: '导出 Excel' }).click();
    });
    expect(xlsx.download.suggestedFilename()).toMatch(/^企业台账.*\.xlsx$/);
    expect(xlsx.body.length).toBeGreaterThan(0);
    expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');
    await expect(page.getByRole('button', { name: '导出', exact: true })).toBeEnabled();

    const exported = await downloaded(page, async () => {
      await page.getByRole('button', { name: '导出', exact: true }).click();
      await page.getByRole('menuitem', { name: '导出 CSV' }).click();
    });
    expect(exported.download.suggestedFilename()).toMatch(/^企业台账.*\.csv$/);
    const text = exported.body.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toContain('企业名称');
    expect(lines).toHaveLength(1 + names.length);
    for (const name of names) expect(text).toContain(name);
  });

  test('a commissioner exports the lists they see, and has no import', async ({ page }) => {
    await useSession(page, 'comm.zhang');
    await page.goto('/enterprises');
    await expect(page.getByRole('button', { name: '导出', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: '导入', exact: true })).toHaveCount(0);

    await page.goto('/problems?status=closed');
    const problems = await downloaded(page, async () => {
      await page.getByRole('button', { name: '导出', exact: true }).click();
      await page.getByRole('menuitem', { name: '导出 CSV' }).click();
    });
    expect(problems.download.suggestedFilename()).toMatch(/\.csv$/);
    expect(problems.body.toString('utf8').split(/\r?\n/)[0]).toContain('状态');

    await page.goto('/demands');
    const summary = await downloaded(page, () =>
      page.getByRole('region', { name: '缺工情况汇总' }).getByRole('button', { name: '导出', exact: true }).click(),
    );
    expect(summary.download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(summary.body.subarray(0, 2).toString()).toBe('PK');
  });
});
