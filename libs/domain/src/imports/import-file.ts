import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { type CastingContext, parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError, InvalidInputError } from '@keydesk/common';
import type { ImportFormat } from '@keydesk/database';
import { FileTooLargeError, UnsupportedFileTypeError } from './import-errors';
import {
  EXTRA_CELLS,
  MAX_CELL_CHARS,
  MAX_CSV_RECORD_CELLS,
  MAX_CSV_RECORD_CHARS,
  MAX_HEADER_CELLS,
  MAX_SHEET_ROWS,
} from './import-limits';
import { inspectXlsx, xlsxReaderInput } from './xlsx-package';

/** A row of the first sheet as written: its number as Excel shows it, and each cell's text (trimmed). */
export interface SheetRow {
  row: number;
  cells: string[];
}

const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');
/** The old binary Excel format (and other OLE documents). */
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const DECODE_CHUNK = 64 * 1024;
const logger = new Logger('imports');

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

/** An upload's shape, read before it is stored: whether it is taken, and where it is validated. */
export interface ImportFileShape {
  /** Rows of the sheet, blank ones included (CSV: lines). */
  rows: number;
  /** Data rows, estimated: rows holding something, less the header. */
  dataRows: number;
  /** The text parsing the file reads: a CSV's bytes, an .xlsx's XML once inflated. */
  textBytes: number;
}

/**
 * Looks at a file before anything parses it: an .xlsx's parts are inflated once, counting (413
 * over the limits, however small the file), a CSV's lines counted (413 over Excel's row maximum).
 * A file that is not what it claims is a 400 with a fixed message; what was wrong goes to the log.
 */
export async function inspectImportFile(format: ImportFormat, bytes: Buffer): Promise<ImportFileShape> {
  if (format === 'csv') {
    const { lines, filledLines } = csvLines(bytes);
    if (lines > MAX_SHEET_ROWS) {
      throw new FileTooLargeError(`文件超过 ${MAX_SHEET_ROWS} 行（含空行），请拆分后分批导入`);
    }
    return { rows: lines, dataRows: Math.max(0, filledLines - 1), textBytes: bytes.length };
  }
  try {
    const pkg = await inspectXlsx(bytes);
    return { rows: pkg.rows, dataRows: Math.max(0, pkg.filledRows - 1), textBytes: pkg.xmlBytes };
  } catch (error) {
    throw unreadable(format, error);
  }
}

/** A CSV's lines (ended by CRLF, LF or CR alone), and those that are not empty. */
function csvLines(bytes: Buffer): { lines: number; filledLines: number } {
  let lines = 0;
  let filledLines = 0;
  let filled = false;
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === 10 || byte === 13) {
      if (byte === 13 && bytes[at + 1] === 10) at += 1;
      lines += 1;
      if (filled) filledLines += 1;
      filled = false;
    } else {
      filled = true;
    }
  }
  if (filled) {
    lines += 1;
    filledLines += 1;
  }
  return { lines, filledLines };
}

/**
 * The rows of the file's first sheet (a CSV has one), streamed: an .xlsx through exceljs's
 * streaming reader, never a whole workbook in memory; a CSV decoded piece by piece. Whatever
 * the file says, at most MAX_SHEET_ROWS rows are read, their numbers always increase, a row
 * keeps the header's width of cells and a few more, a cell at most MAX_CELL_CHARS characters.
 */
export function readSheetRows(format: ImportFormat, bytes: Buffer): AsyncGenerator<SheetRow> {
  return format === 'xlsx' ? xlsxRows(bytes) : csvRows(bytes);
}

/** The bounds a reader keeps, row by row. */
class SheetBounds {
  private read = 0;
  private last = 0;
  private headerWidth = 0;

  /** The row's number: the file's when it follows the previous row's, else the next; past the maximum, a 413. */
  number(given: number): number {
    this.read += 1;
    const number = Number.isSafeInteger(given) && given > this.last ? given : this.last + 1;
    if (this.read > MAX_SHEET_ROWS || number > MAX_SHEET_ROWS) {
      throw new FileTooLargeError(`文件超过 ${MAX_SHEET_ROWS} 行（含空行），请拆分后分批导入`);
    }
    this.last = number;
    return number;
  }

  /**
   * How many of a row's cells are kept: of rows 1 and 2 (where the header is) up to
   * MAX_HEADER_CELLS, of later rows the header's width and EXTRA_CELLS more.
   */
  cells(row: number, count: number): number {
    if (row <= 2) {
      const kept = Math.min(count, MAX_HEADER_CELLS);
      this.headerWidth = Math.max(this.headerWidth, kept);
      return kept;
    }
    return Math.min(count, this.headerWidth + EXTRA_CELLS);
  }
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  let inputError: unknown;
  let input: Readable | undefined;
  try {
    const pkg = await inspectXlsx(bytes);
    input = xlsxReaderInput(pkg, (error) => (inputError = error));
    // Only the first sheet is in the input, after the shared strings: nothing is spooled to disk.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'ignore',
    });
    const bounds = new SheetBounds();
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const number = bounds.number(row.number);
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        const count = bounds.cells(number, Math.max(0, values.length - 1));
        for (let column = 1; column <= count; column++) cells.push(clipped(cellText(values[column])));
        yield { row: number, cells };
      }
    }
    if (inputError !== undefined) throw unreadable('xlsx', inputError);
  } catch (error) {
    throw unreadable('xlsx', inputError ?? error);
  } finally {
    input?.destroy();
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
  const bounds = new SheetBounds();
  let headerWidth = 0;
  const parser = parseCsv({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_CSV_RECORD_CHARS,
    // Called for every cell as it is read: csv-parse counts no empty cell towards the record's
    // size, so this bounds a line of commas. Cells past the kept width are not held.
    cast: (value: string, context: CastingContext) => {
      const row = context.records + 1;
      if (context.index >= MAX_CSV_RECORD_CELLS) throw new CsvRowTooWide(row);
      if (row <= 2) {
        if (context.index >= MAX_HEADER_CELLS) return '';
        headerWidth = Math.max(headerWidth, context.index + 1);
        return value;
      }
      return context.index < headerWidth + EXTRA_CELLS ? value : '';
    },
  });
  text.on('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of text.pipe(parser) as AsyncIterable<string[]>) {
      row = bounds.number(row + 1);
      const count = bounds.cells(row, record.length);
      const cells: string[] = [];
      for (let column = 0; column < count; column++) cells.push(clipped(record[column].trim()));
      yield { row, cells };
    }
  } catch (error) {
    throw unreadable('csv', error);
  } finally {
    text.destroy();
    parser.destroy();
  }
}

/** A CSV record with more cells than any spreadsheet has columns. */
class CsvRowTooWide extends Error {
  constructor(readonly row: number) {
    super(`row ${row} has more than ${MAX_CSV_RECORD_CELLS} cells`);
  }
}

const DAMAGED: Record<ImportFormat, string> = {
  xlsx: '文件已损坏或不是有效的 .xlsx 工作簿，请在 Excel 中打开确认后另存再上传',
  csv: '文件已损坏或不是有效的 CSV 文件，请在 Excel 中打开确认后另存再上传',
};

/**
 * What the person who uploaded the file is told when it cannot be read: our own messages as
 * they are, the library's (in English, about its internals) replaced by a fixed one and logged.
 */
function unreadable(format: ImportFormat, error: unknown): AppError {
  if (error instanceof AppError) return error;
  // csv-parse's errors carry where they happened: `records` read before this one.
  const { code, records } = (error ?? {}) as { code?: unknown; records?: unknown };
  const row = typeof records === 'number' ? records + 1 : 0;
  if (error instanceof CsvRowTooWide) {
    return new InvalidInputError(`第 ${error.row} 行超过 ${MAX_CSV_RECORD_CELLS} 列，请检查文件`);
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new InvalidInputError(
      `第 ${row} 行超过 ${MAX_CSV_RECORD_CHARS} 个字符，请检查文件（可能缺少换行，或有引号未闭合）`,
    );
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new InvalidInputError(`第 ${row} 行起有引号（"）未闭合，请检查文件`);
  }
  logger.warn(
    `an uploaded ${format} file could not be read: ${error instanceof Error ? error.message : String(error)}`,
  );
  return new InvalidInputError(DAMAGED[format]);
}

/** A cell's text cut to what an Excel cell holds (never between the two halves of a surrogate pair). */
function clipped(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  const end = /[\uD800-\uDBFF]/.test(text[MAX_CELL_CHARS - 1]) ? MAX_CELL_CHARS - 1 : MAX_CELL_CHARS;
  return text.slice(0, end);
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
