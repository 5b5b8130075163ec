import { PassThrough } from 'node:stream';
import { csvRecord, CsvStreamWriter } from './csv-writer';
import { columnWidths } from './sheet-writer';

describe('CSV and sheet writing', () => {
  it('quotes as RFC 4180 asks, ends records with CRLF and neutralises formulas', () => {
    expect(csvRecord(['长春, 南关', 'say "hi"', 'two\nlines', 42, null, '=1+2', '@SUM(A1)', '-3'])).toBe(
      `"长春, 南关","say ""hi""","two\nlines",42,,'=1+2,'@SUM(A1),'-3\r\n`,
    );
    // A negative number is a number, not text that could start a formula.
    expect(csvRecord([-3])).toBe('-3\r\n');
  });

  it('starts a CSV file with the BOM and its header record', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new CsvStreamWriter(output, ['企业名称', '员工总数']);
    writer.addRows([['甲公司', 12]]);
    await writer.finish();
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString()).toBe('企业名称,员工总数\r\n甲公司,12\r\n');
  });

  it('sizes columns to their widest cell, a Chinese character counting twice, within bounds', () => {
    expect(columnWidths(['名称', 'id', '说明'], [['长春一汽配件有限公司', 1, 'x'.repeat(200)]])).toEqual([22, 6, 60]);
  });
});
