import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { InvalidInputError } from '@keydesk/common';
import { UnsupportedFileTypeError } from './import-errors';
import { detectImportFormat, estimateDataRows, readSheetRows, SheetRow } from './import-file';
import { writeEnterpriseTemplate } from './import-workbooks';

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
    expect(await estimateDataRows('csv', utf8)).toBe(4);
  });

  it('estimates an .xlsx sheet’s rows without reading it cell by cell', async () => {
    const xlsx = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('a');
      for (let i = 0; i < 51; i++) sheet.addRow([i]);
    });
    expect(await estimateDataRows('xlsx', xlsx)).toBe(50);
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
