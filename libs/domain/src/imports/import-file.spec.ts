import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough, Readable, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { InvalidInputError } from '@keydesk/common';
import { FileTooLargeError, UnsupportedFileTypeError } from './import-errors';
import { detectImportFormat, inspectImportFile, readSheetRows, SheetRow } from './import-file';
import { writeEnterpriseTemplate, writeImportReport } from './import-workbooks';

async function rowsOf(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const all: SheetRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

async function xlsxOf(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A workbook as exceljs's streaming writer makes it: the sheet stored before the shared strings. */
async function streamedXlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true });
  const sheet = workbook.addWorksheet('企业台账');
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

const WORKBOOK_XML =
  '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="甲" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
  'Target="worksheets/sheet1.xml"/></Relationships>';

/** A package built part by part, in this order (deflated, or stored): for files no spreadsheet program writes. */
async function zipOf(
  parts: Record<string, string | Buffer>,
  compression: 'DEFLATE' | 'STORE' = 'DEFLATE',
): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(parts)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression });
}

const sheetXml = (rows: string) =>
  `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

/** What a read leaves behind in this process: its open files (where Linux lists them), and exceljs's temporary files. */
const leftovers = () => ({
  descriptors: existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0,
  temporaryFiles: readdirSync(tmpdir()).filter((name) => name.startsWith('tmp-')).length,
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('an uploaded file', () => {
  it('is an .xlsx by its zip signature and name, a .csv by decodable text and name; else 415', async () => {
    const xlsx = await xlsxOf((workbook) => workbook.addWorksheet('a').addRow(['x']));
    expect(detectImportFormat(xlsx, '台账.XLSX')).toBe('xlsx');
    expect(detectImportFormat(Buffer.from('企业名称\n'), 'a.csv')).toBe('csv');
    expect(detectImportFormat(Buffer.from([0xc6, 0xf3, 0xd2, 0xb5, 0x0a]), 'gbk.csv')).toBe('csv');
    expect(() => detectImportFormat(xlsx, 'a.csv')).toThrow(UnsupportedFileTypeError);
    expect(() => detectImportFormat(Buffer.from('x'), 'a.xlsx')).toThrow(UnsupportedFileTypeError);
    expect(() => detectImportFormat(Buffer.from('x'), 'a.txt')).toThrow(UnsupportedFileTypeError);
    expect(() => detectImportFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'a.xls')).toThrow(
      /另存为 \.xlsx/,
    );
    expect(() => detectImportFormat(Buffer.from([0x61, 0x00, 0x62]), 'a.csv')).toThrow(UnsupportedFileTypeError);
    expect(() => detectImportFormat(Buffer.alloc(0), 'a.csv')).toThrow(InvalidInputError);
  });

  it("reads the first tab's rows of an .xlsx with their numbers, whatever the cells hold", async () => {
    const xlsx = await xlsxOf((workbook) => {
      const first = workbook.addWorksheet('企业台账');
      first.addRow(['名称', '人数']);
      first.getRow(3).values = [{ richText: [{ text: '富' }, { text: '文本' }] }, 12];
      first.getRow(4).values = [{ formula: '1+1', result: 2 }, ' 空格 '];
      workbook.addWorksheet('其他').addRow(['不读']);
    });
    expect(await rowsOf(readSheetRows('xlsx', xlsx))).toEqual([
      { row: 1, cells: ['名称', '人数'] },
      { row: 3, cells: ['富文本', '12'] },
      { row: 4, cells: ['2', '空格'] },
    ]);
  });

  it('reads a CSV in UTF-8 with a BOM, or in GB18030, with quoted line breaks', async () => {
    const utf8 = Buffer.from('\uFEFF企业名称,地址\r\n甲,"一行\r\n两行"\r\n\r\n乙,丙\r\n');
    expect(await rowsOf(readSheetRows('csv', utf8))).toEqual([
      { row: 1, cells: ['企业名称', '地址'] },
      { row: 2, cells: ['甲', '一行\r\n两行'] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['乙', '丙'] },
    ]);
    // 中文,名称 in GB18030.
    const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0d, 0x0a]);
    expect(await rowsOf(readSheetRows('csv', gbk))).toEqual([{ row: 1, cells: ['中文', '名称'] }]);
    // Lines, not records: an estimate (a quoted line break counts).
    expect(await inspectImportFile('csv', utf8)).toEqual({ rows: 5, dataRows: 3, textBytes: utf8.length });
  });

  it('counts an .xlsx sheet’s rows, and the XML it inflates, before reading it cell by cell', async () => {
    const xlsx = await xlsxOf((workbook) => {
      workbook.addWorksheet('a');
      const sheet = workbook.getWorksheet('a')!;
      for (let i = 0; i < 51; i++) sheet.addRow([i]);
      sheet.getRow(60).height = 30; // a row with no cell
    });
    const shape = await inspectImportFile('xlsx', xlsx);
    expect(shape).toMatchObject({ rows: 52, dataRows: 50 });
    expect(shape.textBytes).toBeGreaterThan(51 * 30);
  });

  it('reads the first tab only, from the sheet stored before the shared strings, whole characters intact, leaving nothing behind', async () => {
    // Over 64 KiB of Chinese in the shared strings and the sheet: chunks cut characters in two.
    const rows = Array.from({ length: 3000 }, (_, i) => [`长春市南关区人民大街${i}号`, `长春测试有限公司${i}`, i]);
    const bytes = await streamedXlsxOf([['名称', '地址', '人数'], ...rows]);
    const before = leftovers();
    const read = await rowsOf(readSheetRows('xlsx', bytes));
    expect(read).toHaveLength(3001);
    expect(read[2999]).toEqual({ row: 3000, cells: ['长春市南关区人民大街2998号', '长春测试有限公司2998', '2998'] });
    expect(read.filter(({ cells }) => cells.some((cell) => cell.includes('\uFFFD')))).toEqual([]);
    expect(leftovers()).toEqual(before);

    // Stopped early (the planner refusing a header), or failing: nothing is left open either.
    for await (const row of readSheetRows('xlsx', bytes)) if (row.row === 5) break;
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    expect(await failureOf(rowsOf(readSheetRows('xlsx', truncated)))).toBeInstanceOf(InvalidInputError);
    expect(leftovers()).toEqual(before);

    // The workbook's first tab is its first <sheet>, wherever its part is.
    const reordered = await zipOf({
      'xl/worksheets/sheet1.xml': sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>第二个</t></is></c></row>'),
      'xl/worksheets/sheet9.xml': sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>第一个</t></is></c></row>'),
      'xl/workbook.xml': WORKBOOK_XML.replace(
        'r:id="rId1"/>',
        'r:id="rId9"/><sheet name="乙" sheetId="2" r:id="rId1"/>',
      ),
      'xl/_rels/workbook.xml.rels': WORKBOOK_RELS.replace(
        '</Relationships>',
        '<Relationship Id="rId9" Type="worksheet" Target="/xl/worksheets/sheet9.xml"/></Relationships>',
      ),
    });
    expect(await rowsOf(readSheetRows('xlsx', reordered))).toEqual([{ row: 1, cells: ['第一个'] }]);
  });

  it('refuses what inflates beyond the limits before parsing any of it, and says nothing of the library when a file is damaged', async () => {
    const xlsx = (sheet: string, compression?: 'STORE') =>
      zipOf(
        {
          'xl/workbook.xml': WORKBOOK_XML,
          'xl/_rels/workbook.xml.rels': WORKBOOK_RELS,
          'xl/worksheets/sheet1.xml': sheet,
        },
        compression,
      );

    const before = leftovers();
    // A few kilobytes that inflate to megabytes: a zip bomb, refused on the ratio.
    const bomb = await xlsx(sheetXml('<row/>'.repeat(1_000_000)));
    expect(bomb.length).toBeLessThan(100_000);
    const refused = await failureOf(inspectImportFile('xlsx', bomb));
    expect(refused).toBeInstanceOf(FileTooLargeError);
    expect(refused.message).toContain('压缩炸弹');
    expect(await failureOf(rowsOf(readSheetRows('xlsx', bomb)))).toBeInstanceOf(FileTooLargeError);

    // Every row counts towards Excel's maximum, blank ones too.
    const blank = sheetXml(Array.from({ length: 1_048_577 }, (_, i) => `<row r="${i + 1}"/>`).join(''));
    const stored = await xlsx(blank, 'STORE'); // stored as is: no ratio to trip on
    expect((await failureOf(inspectImportFile('xlsx', stored))).message).toContain('超过 1048576 行');
    const blankCsv = Buffer.from('\n'.repeat(1_048_577));
    expect(await failureOf(inspectImportFile('csv', blankCsv))).toBeInstanceOf(FileTooLargeError);

    // Damaged files: one fixed message, the library's words only in the log.
    const damaged = '文件已损坏或不是有效的 .xlsx 工作簿，请在 Excel 中打开确认后另存再上传';
    const good = await xlsx(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'));
    for (const file of [
      good.subarray(0, good.length - 30),
      await zipOf({ 'xl/workbook.xml': '<workbook><sheets>', 'xl/_rels/workbook.xml.rels': WORKBOOK_RELS }),
      await xlsx('<worksheet><sheetData><row><c r="A1"><v>1</c></row>'),
    ]) {
      const failure = await failureOf(inspectImportFile('xlsx', file).then(() => rowsOf(readSheetRows('xlsx', file))));
      expect([failure.constructor.name, failure.message]).toEqual(['InvalidInputError', damaged]);
    }
    // Nothing left open by the reads that failed, half-way through the XML or before.
    expect(leftovers()).toEqual(before);

    // The workbook's own parts are read by an XML parser, in one pass: a long run where patterns
    // would backtrack (for hours, on a few kilobytes) is either well-formed or damaged, at once.
    const longRun = 'a'.repeat(200_000);
    const withRels = (rels: string) =>
      zipOf({
        'xl/workbook.xml': WORKBOOK_XML,
        'xl/_rels/workbook.xml.rels': rels,
        'xl/worksheets/sheet1.xml': sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'),
      });
    const odd = await withRels(
      WORKBOOK_RELS.replace('<Relationship Id="rId1"', `<Relationship ${longRun}="1" Id="rId1"`),
    );
    expect(await rowsOf(readSheetRows('xlsx', odd))).toHaveLength(1);
    const broken = await withRels(
      WORKBOOK_RELS.replace('<Relationship Id="rId1"', `<Relationship Id="rId1" ${longRun}`),
    );
    expect((await failureOf(inspectImportFile('xlsx', broken))).message).toBe(damaged);
  });

  it('bounds a CSV record: its length, its cells, the cells kept', async () => {
    const header = '企业名称,地址\r\n';
    const long = Buffer.from(`${header}甲,${'长'.repeat(70_000)}\r\n`);
    expect((await failureOf(rowsOf(readSheetRows('csv', long)))).message).toBe(
      '第 2 行超过 65536 个字符，请检查文件（可能缺少换行，或有引号未闭合）',
    );
    const commas = Buffer.from(`${header}甲${','.repeat(20_000)}\r\n`);
    expect((await failureOf(rowsOf(readSheetRows('csv', commas)))).message).toBe('第 2 行超过 16384 列，请检查文件');
    // Rows 1 and 2 may hold the header; later rows keep its width and 8 cells more.
    const wide = Buffer.from(`${header}甲,乙\r\n${Array.from({ length: 100 }, (_, i) => `c${i}`).join(',')}\r\n`);
    const [, , row] = await rowsOf(readSheetRows('csv', wide));
    expect(row.cells).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
    const unclosed = Buffer.from(`${header}甲,"乙\r\n`);
    expect((await failureOf(rowsOf(readSheetRows('csv', unclosed)))).message).toContain('引号（"）未闭合');
  });

  it('writes a report no wider than the header, with no cell longer than Excel takes', async () => {
    const headers = [
      '企业名称',
      '统一社会信用代码',
      '行业',
      '所属区县',
      '地址',
      '重点企业类别',
      '员工总数',
      '联系人',
      '联系电话',
    ];
    const rows: SheetRow[] = [
      { row: 1, cells: headers },
      { row: 2, cells: ['甲'.repeat(40_000), ...Array.from({ length: 17 }, (_, i) => `多余${i}`)] },
    ];
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    await writeImportReport(sink, Readable.from(rows), () =>
      Promise.resolve([{ row: 2, errors: [{ column: '企业名称', message: '不能超过 200 个字' }] }]),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).cellCount).toBe(10);
    expect(sheet.getRow(2).cellCount).toBe(10);
    expect(sheet.getCell('A2').value as string).toHaveLength(32_767);
    expect(sheet.getCell('J2').value).toBe('企业名称：不能超过 200 个字');
  });

  it('makes a template whose first sheet has the headers in row 1 and drop-downs from a hidden code sheet', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    await writeEnterpriseTemplate(sink, {
      districts: [{ code: '220102', name: '南关区' }],
      industries: [{ code: 'C', name: '制造业' }],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.state])).toEqual([
      ['企业台账', 'visible'],
      ['填写说明', 'visible'],
      ['代码表', 'hidden'],
    ]);
    const sheet = workbook.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
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
    ]);
    expect(sheet.getCell('C5').dataValidation).toMatchObject({ type: 'list', formulae: ["'代码表'!$A$2:$A$2"] });
    expect(sheet.getCell('D5').dataValidation).toMatchObject({ type: 'list', formulae: ["'代码表'!$C$2:$C$2"] });
    expect(sheet.getCell('F5').dataValidation).toMatchObject({ type: 'list', formulae: ["'代码表'!$E$2:$E$4"] });
    expect(workbook.worksheets[2].getCell('E4').value).toBe('区级重点');
  });
});
