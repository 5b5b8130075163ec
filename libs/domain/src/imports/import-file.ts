import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { InvalidInputError } from '@keydesk/common';
import type { ImportFormat } from '@keydesk/database';
import { UnsupportedFileTypeError } from './import-errors';

/** A row of the first sheet as written: its number as Excel shows it, and each cell's text (trimmed). */
export interface SheetRow {
  row: number;
  cells: string[];
}

const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');
/** The old binary Excel format (and other OLE documents). */
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const DECODE_CHUNK = 64 * 1024;
/** The sheet XML an estimate reads at most. */
const ESTIMATE_MAX_XML_BYTES = 512 * 1024 * 1024;

/**
 * What the upload is, from its bytes and its name together: an .xlsx must be a zip (Office Open
 * XML), a .csv must be text in UTF-8 or GB18030 (what Excel in China saves as "CSV"). Anything
 * else is a 415 saying what is accepted.
 */
export function detectImportFormat(bytes: Buffer, fileName: string): ImportFormat {
  const extension = /\.([^.]+)$/.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';
  if (bytes.length === 0) throw new InvalidInputError('上传的文件是空的');
  const zip = bytes.subarray(0, 4).equals(ZIP_SIGNATURE);
  if (extension === 'xlsx' && zip) return 'xlsx';
  if (extension === 'csv' && !zip && csvEncoding(bytes)) return 'csv';
  if (extension === 'xls' || bytes.subarray(0, 8).equals(OLE_SIGNATURE)) {
    throw new UnsupportedFileTypeError('不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后上传');
  }
  if (extension === 'xlsx' || extension === 'csv') {
    throw new UnsupportedFileTypeError(
      extension === 'csv'
        ? '文件内容不是 UTF-8 或 GBK 编码的 CSV 文本'
        : '文件内容不是 .xlsx 工作簿（可能只是改了扩展名）',
    );
  }
  throw new UnsupportedFileTypeError('只能导入 .xlsx 工作簿或 .csv 文件（UTF-8 或 GBK 编码）');
}

/** The text encoding of CSV bytes: UTF-8 (with or without a BOM), else GB18030; null if neither, or not text. */
function csvEncoding(bytes: Buffer): 'utf-8' | 'gb18030' | null {
  if (bytes.includes(0)) return null;
  if (isUtf8(bytes)) return 'utf-8';
  const decoder = new TextDecoder('gb18030', { fatal: true });
  try {
    for (let at = 0; at < bytes.length; at += DECODE_CHUNK) {
      decoder.decode(bytes.subarray(at, at + DECODE_CHUNK), { stream: true });
    }
    decoder.decode();
    return 'gb18030';
  } catch {
    return null;
  }
}

/**
 * The rows of the file's first sheet (a CSV has one), streamed: an .xlsx through exceljs's
 * streaming reader, never a whole workbook in memory; a CSV decoded piece by piece.
 */
export function readSheetRows(format: ImportFormat, bytes: Buffer): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? xlsxRows(bytes) : csvRows(bytes);
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      // Sheets arrive in the order of the zip; the first sheet is the workbook's first tab.
      const first = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets?.[0]?.name;
      if (first !== undefined && (sheet as unknown as { name: string }).name !== first) continue;
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
        yield { row: row.number, cells };
      }
      return;
    }
  } catch (error) {
    throw unreadable(error);
  }
}

async function* csvRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  const encoding = csvEncoding(bytes);
  if (!encoding) throw new InvalidInputError('文件不是 UTF-8 或 GBK 编码的文本');
  // TextDecoder drops a UTF-8 byte order mark, which Excel writes at the start of a UTF-8 CSV.
  const decoder = new TextDecoder(encoding);
  const text = Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += DECODE_CHUNK) {
        yield decoder.decode(bytes.subarray(at, at + DECODE_CHUNK), { stream: true });
      }
      yield decoder.decode();
    })(),
  );
  const parser = parseCsv({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
  });
  text.on('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of text.pipe(parser) as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells: record.map((cell) => cell.trim()) };
    }
  } catch (error) {
    throw unreadable(error);
  } finally {
    text.destroy();
    parser.destroy();
  }
}

function unreadable(error: unknown): unknown {
  if (error instanceof InvalidInputError) return error;
  return new InvalidInputError(`无法读取文件：${error instanceof Error ? error.message : String(error)}`);
}

/** A cell as text, whatever Excel stored: a number as its digits, rich text joined, a formula's result. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return richText(value.richText);
  if ('result' in value) return cellText(value.result);
  if ('formula' in value || 'sharedFormula' in value) return '';
  if ('error' in value) return String(value.error);
  if ('text' in value) return cellText(value.text);
  return '';
}

const richText = (parts: ExcelJS.RichText[]): string =>
  parts
    .map((part) => part.text)
    .join('')
    .trim();

/**
 * The number of data rows, estimated before reading the file (for progress, and to refuse an
 * oversized one at once): a CSV's line breaks, an .xlsx first sheet's rows (the `dimension`
 * Excel writes near its start, else its `<row` elements counted). Blank rows count too: the
 * exact number is known once the file has been read.
 */
export async function estimateDataRows(format: ImportFormat, bytes: Buffer): Promise<number> {
  if (format === 'csv') {
    let lines = 0;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines += 1;
    const endsWithBreak = bytes[bytes.length - 1] === 10;
    return Math.max(0, lines + (endsWithBreak ? 0 : 1) - 1);
  }
  try {
    const sheet = zipEntry(bytes, 'xl/worksheets/sheet1.xml');
    if (!sheet) return 0;
    const body = Readable.from([sheet.data]);
    const xml = sheet.deflated ? body.pipe(createInflateRaw()) : body;
    let rows = 0;
    let inflated = 0;
    // The last characters of the previous chunk, so that a `<row ` cut in two is still counted (once).
    let tail = '';
    for await (const chunk of xml as AsyncIterable<Buffer>) {
      const text = tail + chunk.toString('latin1');
      if (rows === 0) {
        const dimension = /<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(text);
        if (dimension) {
          xml.destroy();
          return Math.max(0, Number(dimension[1]) - 1);
        }
      }
      rows += text.split('<row ').length - 1;
      tail = text.slice(-4);
      inflated += chunk.length;
      // A sheet this large holds more rows than an import takes (or is a zip bomb): enough counted.
      if (inflated > ESTIMATE_MAX_XML_BYTES) {
        xml.destroy();
        break;
      }
    }
    return Math.max(0, rows - 1);
  } catch {
    return 0;
  }
}

/**
 * One entry of a zip held in memory, found through the central directory: its compressed bytes
 * and whether they are deflated. Null when absent or not plainly readable (zip64, encryption).
 */
function zipEntry(zip: Buffer, path: string): { data: Buffer; deflated: boolean } | null {
  const END_OF_DIRECTORY = 0x06054b50;
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end === -1) return null;
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries && at + 46 <= zip.length; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) return null;
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (name === path) {
      if (flags & 1 || (method !== 0 && method !== 8) || size === 0xffffffff || local + 30 > zip.length) return null;
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      return { data: zip.subarray(start, start + size), deflated: method === 8 };
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return null;
}
