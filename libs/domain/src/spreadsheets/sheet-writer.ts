import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { safeText } from './cells';

/** What a cell holds: text (written safe), a number, or nothing. */
export type CellValue = string | number | null;

/** A sheet's frame: its name, the title above the table, the headers and the columns' widths. */
export interface SheetLayout {
  name: string;
  /** Row 1: what the table is, with its filter and the moment it was made. */
  title: string;
  /** Row 2, frozen: the rows scroll under it. */
  headers: readonly string[];
  /** In characters, as Excel counts them (see `columnWidths`). */
  widths: readonly number[];
}

export interface RowOptions {
  /** Bold: a totals row. */
  emphasis?: boolean;
  /** Excel number formats of the row's cells, by column (`'0.0%'`). */
  formats?: readonly (string | undefined)[];
}

/** Rows a sheet's title and header take: data starts below them. */
export const HEADER_ROWS = 2;

const MIN_WIDTH = 6;
/** The style of every plain data cell; frozen, because a cell's style setters write into its object. */
const PLAIN_STYLE: Partial<ExcelJS.Style> = Object.freeze({});
const MAX_WIDTH = 60;

/**
 * Column widths that fit the headers and the rows given (a sample, when rows are streamed): a
 * Chinese character is two of Excel's width units, everything else one.
 */
export function columnWidths(headers: readonly string[], rows: readonly (readonly CellValue[])[]): number[] {
  return headers.map((header, column) => {
    let widest = displayWidth(header);
    for (const row of rows) widest = Math.max(widest, displayWidth(row[column]));
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
  });
}

function displayWidth(value: CellValue | undefined): number {
  if (value === null || value === undefined) return 0;
  let width = 0;
  for (const char of String(value)) width += char.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return width;
}

/**
 * An xlsx workbook written as it goes (exceljs's streaming writer): each row is committed as it
 * is added, so only the rows not yet zipped are in memory, however many the file holds. Sheets
 * are written one after another.
 */
export class XlsxStreamWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;

  constructor(output: Writable) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: output,
      useStyles: true,
      useSharedStrings: false,
    });
  }

  addSheet(layout: SheetLayout): XlsxSheetWriter {
    const worksheet = this.workbook.addWorksheet(layout.name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROWS, topLeftCell: `A${HEADER_ROWS + 1}` }],
    });
    // The widths go out with the sheet's first row: they are set before it.
    worksheet.columns = layout.headers.map((_, column) => ({ width: layout.widths[column] ?? MIN_WIDTH }));
    const title = worksheet.addRow([safeText(layout.title)]);
    title.font = { bold: true, size: 14 };
    title.height = 24;
    worksheet.mergeCells(1, 1, 1, Math.max(1, layout.headers.length));
    title.commit();
    const header = worksheet.addRow(layout.headers.map(safeText));
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
      cell.border = { bottom: { style: 'thin', color: { argb: 'FF9AA7B8' } } };
    });
    header.commit();
    return new XlsxSheetWriter(worksheet);
  }

  /** Finishes the file: every sheet committed, the workbook's parts written, the output ended. */
  async finish(): Promise<void> {
    await this.workbook.commit();
  }
}

export class XlsxSheetWriter {
  constructor(private readonly worksheet: ExcelJS.Worksheet) {}

  /** Adds a row and commits it at once: it is written out and leaves memory. */
  addRow(cells: readonly CellValue[], options: RowOptions = {}): void {
    const row = this.worksheet.addRow(cells.map(safeCell));
    if (options.emphasis || options.formats) {
      if (options.emphasis) row.font = { bold: true };
      options.formats?.forEach((format, column) => {
        if (format) row.getCell(column + 1).numFmt = format;
      });
    } else {
      // exceljs works a style out once per style object: cells that share one cost that once,
      // where a fresh object per cell doubled the time of a large export.
      row.eachCell((cell) => {
        cell.style = PLAIN_STYLE;
      });
    }
    row.commit();
  }

  /**
   * Resolves once the zip has taken in what was written: exceljs hands a sheet's XML to the
   * compressor without waiting for it (no backpressure), so a writer that outruns it would
   * pile the XML up in memory. Waiting here after each batch keeps the backlog to one batch.
   */
  async compressed(): Promise<void> {
    const sheetStream = (this.worksheet as unknown as { stream?: { pipes?: ZipEntryInput[] } }).stream;
    for (const pipe of sheetStream?.pipes ?? []) {
      // The zip's input is a readable-stream 2 PassThrough: it has `_writableState`, not `writableNeedDrain`.
      if (!(pipe.writableNeedDrain ?? pipe._writableState?.needDrain) || pipe.destroyed) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          pipe.off('drain', done);
          pipe.off('close', done);
          pipe.off('error', done);
          resolve();
        };
        pipe.on('drain', done);
        pipe.on('close', done);
        pipe.on('error', done);
      });
    }
  }

  /** The sheet is complete: nothing more can be added to it. */
  commit(): void {
    this.worksheet.commit();
  }
}

/** The stream a sheet's XML is piped into on its way to the compressor. */
type ZipEntryInput = Writable & { _writableState?: { needDrain?: boolean } };

/** Text made safe to open (never read as a formula); numbers and empty cells as they are. */
export function safeCell(value: CellValue): CellValue {
  return typeof value === 'string' ? safeText(value) : value;
}
