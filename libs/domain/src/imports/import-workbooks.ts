import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { TIER_LABELS, TIERS } from '@keydesk/database';
import { safeText } from '../spreadsheets/cells';
import { IMPORT_COLUMNS, REPORT_ERROR_HEADER } from './enterprise-columns';
import { readHeader } from './enterprise-rows';
import { MAX_IMPORT_ROWS } from './enterprise-import.planner';
import { MAX_CELL_CHARS } from './import-limits';
import type { SheetRow } from './import-file';

export const IMPORT_XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TEMPLATE_SHEET = '企业台账';
const NOTES_SHEET = '填写说明';
const CODES_SHEET = '代码表';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };
/** Columns typed as text in the template, so that Excel keeps a credit code or a phone number as written. */
const TEXT_COLUMNS = new Set(['creditCode', 'contactPhone', 'commissioner']);

/** Display width of a text in Excel's units: a Chinese character counts two. */
function widthOf(text: string): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return width;
}

/**
 * The import template: sheet 1 `企业台账` with the headers in row 1, a sample row and drop-downs
 * on the coded columns; sheet 2 `填写说明` explaining each column; a hidden `代码表` holding the
 * drop-downs' lists (Excel caps a list written inline at 255 characters, which the districts' and
 * industries' names exceed).
 */
export async function writeEnterpriseTemplate(
  output: Writable,
  references: { districts: { code: string; name: string }[]; industries: { code: string; name: string }[] },
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: true });
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET, { views: [{ state: 'frozen', ySplit: 1, topLeftCell: 'A2' }] });
  sheet.columns = IMPORT_COLUMNS.map((column) => ({
    width: Math.max(12, widthOf(column.header) + 4, widthOf(String(column.sample)) + 2),
    style: TEXT_COLUMNS.has(column.field) ? { numFmt: '@' } : {},
  }));
  const lastRow = MAX_IMPORT_ROWS + 1;
  const list = (column: string, count: number, prompt: string): ExcelJS.DataValidation => ({
    type: 'list',
    allowBlank: true,
    formulae: [`'${CODES_SHEET}'!$${column}$2:$${column}$${count + 1}`],
    showInputMessage: true,
    promptTitle: '请选择',
    prompt,
    // A warning, not a stop: the column also takes the code.
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: '不在列表中',
    error: '建议从下拉列表中选择；也可填写代码。',
  });
  // The streaming worksheet has them; exceljs's types leave them out.
  const { dataValidations } = sheet as unknown as {
    dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
  };
  const letter = (field: string) => String.fromCharCode(65 + IMPORT_COLUMNS.findIndex((c) => c.field === field));
  dataValidations.add(
    `${letter('industryCode')}2:${letter('industryCode')}${lastRow}`,
    list('A', references.industries.length, '从列表选择行业门类'),
  );
  dataValidations.add(
    `${letter('districtCode')}2:${letter('districtCode')}${lastRow}`,
    list('C', references.districts.length, '从列表选择区县或开发区'),
  );
  dataValidations.add(`${letter('tier')}2:${letter('tier')}${lastRow}`, list('E', TIERS.length, '从列表选择'));
  const header = sheet.addRow(IMPORT_COLUMNS.map((column) => column.header));
  header.font = { bold: true };
  header.eachCell((cell) => (cell.fill = HEADER_FILL));
  header.commit();
  sheet.addRow(IMPORT_COLUMNS.map((column) => column.sample)).commit();
  sheet.commit();

  const notes = workbook.addWorksheet(NOTES_SHEET);
  notes.columns = [{ width: 18 }, { width: 10 }, { width: 90 }];
  const title = notes.addRow(['列名', '是否必填', '说明']);
  title.font = { bold: true };
  title.eachCell((cell) => (cell.fill = HEADER_FILL));
  title.commit();
  for (const column of IMPORT_COLUMNS) {
    notes.addRow([column.header, column.required ? '必填' : '选填', column.note]).commit();
  }
  notes.addRow([]).commit();
  for (const line of [
    `表头须在第一个工作表「${TEMPLATE_SHEET}」的第 1 行，列名不可修改，列的顺序可以调整，多出的列不会导入。`,
    '第 2 行为示例，导入前请删除或改写。',
    `每个文件最多 ${MAX_IMPORT_ROWS} 行、20 MB；也可另存为 CSV（UTF-8 或 GBK 编码）后上传。`,
    '上传后先校验：系统列出将新增、更新、不变和有误的行，可下载标出错误单元格的校验报告；确认后再导入。',
    '统一社会信用代码与台账中已有企业相同的行，按本行内容更新该企业（修改记录在企业的变更历史中）。',
  ]) {
    notes.addRow([line]).commit();
  }
  notes.commit();

  const codes = workbook.addWorksheet(CODES_SHEET, { state: 'hidden' });
  codes.columns = [{ width: 34 }, { width: 10 }, { width: 26 }, { width: 10 }, { width: 14 }, { width: 12 }];
  const codesHeader = codes.addRow(['行业', '行业代码', '所属区县', '区划代码', '重点企业类别', '类别代码']);
  codesHeader.font = { bold: true };
  codesHeader.commit();
  const rows = Math.max(references.industries.length, references.districts.length, TIERS.length);
  for (let i = 0; i < rows; i++) {
    const industry = references.industries[i];
    const district = references.districts[i];
    const tier = TIERS[i];
    codes
      .addRow([
        industry?.name ?? null,
        industry?.code ?? null,
        district?.name ?? null,
        district?.code ?? null,
        tier ? TIER_LABELS[tier] : null,
        tier ?? null,
      ])
      .commit();
  }
  codes.commit();
  await workbook.commit();
}

/** How many rows the report writes before it lets a slow reader catch up. */
const REPORT_FLUSH_ROWS = 500;
/** Faulty rows read at a time beside the file. */
const REPORT_FAULT_PAGE = 1000;

/**
 * The dry run's report: every row of the file's first sheet where it was (row N stays row N),
 * as wide as its header, with a `错误说明` column after it, and each bad cell filled red. The
 * rows' faults come from `faultsAfter` (the faulty rows after a row), read beside the file in row
 * order, a page at a time. No cell is longer than an Excel cell may be.
 */
export async function writeImportReport(
  output: Writable,
  rows: AsyncIterable<SheetRow>,
  faultsAfter: (
    row: number,
    limit: number,
  ) => Promise<{ row: number; errors: { column: string; message: string }[] }[]>,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('校验结果', { views: [{ state: 'frozen', ySplit: 1, topLeftCell: 'A2' }] });
  let header: ReportHeader | null = null;
  // Rows before the header (an exported ledger's title row), written once the header's width is known.
  const before: SheetRow[] = [];
  let page: { row: number; errors: { column: string; message: string }[] }[] = [];
  let next = 0;
  let more = true;
  let written = 0;
  const write = (row: number, cells: string[], width: number) => {
    const excelRow = sheet.getRow(row);
    excelRow.values = cells.slice(0, width).map(asCell);
    return excelRow;
  };
  // A validated import has its header in row 1 or 2; without one, rows are written as wide as the template.
  const start = (headerCells: string[] | null): ReportHeader => {
    const width = headerCells ? filledWidth(headerCells) : IMPORT_COLUMNS.length;
    // The widths go out with the sheet's first row.
    sheet.columns = [
      ...Array.from({ length: width }, (_, index) => ({
        width: Math.min(40, Math.max(12, widthOf(headerCells?.[index] ?? '') + 4)),
      })),
      { width: 60 },
    ];
    for (const earlier of before) write(earlier.row, earlier.cells, width).commit();
    return { width, columnOf: new Map(headerCells?.slice(0, width).map((cell, index) => [cell, index + 1])) };
  };
  for await (const sheetRow of rows) {
    const { row, cells } = sheetRow;
    if (!header) {
      if (row <= 2 && readHeader(sheetRow).missing.length === 0) {
        header = start(cells);
        const excelRow = write(row, cells, header.width);
        excelRow.getCell(header.width + 1).value = REPORT_ERROR_HEADER;
        excelRow.font = { bold: true };
        excelRow.eachCell((cell) => (cell.fill = HEADER_FILL));
        excelRow.commit();
        continue;
      }
      if (row <= 2) {
        before.push(sheetRow);
        continue;
      }
      header = start(null);
    }
    const excelRow = write(row, cells, header.width);
    while (next < page.length && page[next].row < row) next += 1;
    if (next === page.length && more) {
      page = await faultsAfter(row - 1, REPORT_FAULT_PAGE);
      more = page.length === REPORT_FAULT_PAGE;
      next = 0;
    }
    const faults = page[next]?.row === row ? page[next].errors : [];
    for (const fault of faults) {
      const column = header.columnOf.get(fault.column);
      if (column === undefined) continue;
      const cell = excelRow.getCell(column);
      cell.fill = BAD_FILL;
      cell.font = BAD_FONT;
    }
    if (faults.length > 0) {
      const explanation = excelRow.getCell(header.width + 1);
      explanation.value = excelText(faults.map((fault) => `${fault.column}：${fault.message}`).join('；'));
      explanation.font = BAD_FONT;
    }
    excelRow.commit();
    written += 1;
    if (written % REPORT_FLUSH_ROWS === 0) await drained(output);
  }
  if (!header) start(null);
  sheet.commit();
  await workbook.commit();
}

interface ReportHeader {
  /** Columns written: the header's, up to its last named one. */
  width: number;
  /** Each header's column (1-based). */
  columnOf: Map<string, number>;
}

/** The cells up to the last one that holds something. */
function filledWidth(cells: string[]): number {
  let width = cells.length;
  while (width > 0 && cells[width - 1] === '') width -= 1;
  return width;
}

/** A cell as written back: numbers that Excel would show the same as numbers, other text made safe. */
function asCell(text: string): string | number | null {
  if (text === '') return null;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text)) return Number(text);
  return excelText(text);
}

/** Text made safe and cut to what an Excel cell holds: a longer one makes Excel refuse the whole file. */
function excelText(text: string): string {
  const safe = safeText(text);
  if (safe.length <= MAX_CELL_CHARS) return safe;
  const end = /[\uD800-\uDBFF]/.test(safe[MAX_CELL_CHARS - 1]) ? MAX_CELL_CHARS - 1 : MAX_CELL_CHARS;
  return safe.slice(0, end);
}

/** Waits until the output has room again: the streaming writer itself does not wait for a slow reader. */
function drained(output: Writable): Promise<void> {
  if (!output.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', done);
      resolve();
    };
    output.on('drain', done);
    output.on('close', done);
  });
}
