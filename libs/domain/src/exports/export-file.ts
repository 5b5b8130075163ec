import type { Writable } from 'node:stream';
import { CsvStreamWriter, writable } from '../spreadsheets/csv-writer';
import { CellValue, columnWidths, SheetLayout, XlsxStreamWriter } from '../spreadsheets/sheet-writer';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * A file ready to go out: everything that could refuse it has been checked, and its name and
 * type are known, so the caller can still answer an error instead. Its rows are read as it is
 * written.
 */
export interface ExportFile {
  /** The Chinese name (`企业台账-20261201-0930.xlsx`). */
  fileName: string;
  /** The same in ASCII, for clients that read no other. */
  asciiFileName: string;
  contentType: string;
  /**
   * Writes the file to the output and ends it. When the signal aborts (the client went away) it
   * stops reading rows and returns, leaving the output as it is.
   */
  write(output: Writable, signal: AbortSignal): Promise<void>;
  /** Lets go of what the file holds (an open cursor) when it is not going to be written. */
  discard(): Promise<void>;
}

/** One column of an exported table: its header and its cell for a row. */
export interface ExportColumn<T> {
  header: string;
  cell: (row: T) => CellValue;
}

/** A table as a sheet: its name, its title row and its columns. */
export interface ExportTable<T> {
  sheetName: string;
  title: string;
  columns: readonly ExportColumn<T>[];
}

export interface FileName {
  /** `企业台账-20261201-0930` */
  name: string;
  /** `enterprises-20261201-0930` */
  ascii: string;
}

/**
 * A list as a file, its rows read batch by batch. The first batch is read here, before anything
 * is written: the query has run, a failure is still an error answer, and the columns' widths fit
 * the rows the file starts with.
 */
export async function listFile<T>(
  format: ExportFormat,
  name: FileName,
  table: ExportTable<T>,
  batches: AsyncIterable<T[]>,
): Promise<ExportFile> {
  const rows = batches[Symbol.asyncIterator]();
  const first = await rows.next();
  const more = !first.done;
  let firstCells = first.done ? [] : first.value.map((row) => cellsOf(table.columns, row));
  const close = async () => {
    await rows.return?.();
  };
  return {
    fileName: `${name.name}.${format}`,
    asciiFileName: `${name.ascii}.${format}`,
    contentType: EXPORT_CONTENT_TYPES[format],
    discard: close,
    async write(output, signal) {
      try {
        const sheet = format === 'xlsx' ? xlsxTable(output, table, firstCells) : csvTable(output, table);
        sheet.add(firstCells);
        firstCells = [];
        if (more) {
          for (;;) {
            await sheet.settled();
            await writable(output, signal);
            if (signal.aborted) return;
            const next = await rows.next();
            if (next.done) break;
            sheet.add(next.value.map((row) => cellsOf(table.columns, row)));
          }
        }
        await sheet.finish();
      } finally {
        await close();
      }
    },
  };
}

/** A few small tables (summaries) as one workbook, a sheet each; the last row of a table may be its totals. */
export function workbookFile(name: FileName, sheets: readonly WorkbookSheet[]): ExportFile {
  return {
    fileName: `${name.name}.xlsx`,
    asciiFileName: `${name.ascii}.xlsx`,
    contentType: EXPORT_CONTENT_TYPES.xlsx,
    discard: () => Promise.resolve(),
    async write(output, signal) {
      const book = new XlsxStreamWriter(output);
      for (const sheet of sheets) {
        if (signal.aborted) return;
        const all = sheet.totals ? [...sheet.rows, sheet.totals] : sheet.rows;
        const writer = book.addSheet({
          name: sheet.name,
          title: sheet.title,
          headers: sheet.headers,
          widths: columnWidths(sheet.headers, all),
        });
        sheet.rows.forEach((row, index) => writer.addRow(row, { formats: sheet.formats?.[index] }));
        if (sheet.totals) writer.addRow(sheet.totals, { emphasis: true });
        writer.commit();
      }
      await book.finish();
    },
  };
}

/** A sheet of a summary workbook: already worked out, a few dozen rows at most. */
export interface WorkbookSheet {
  name: string;
  title: string;
  headers: readonly string[];
  rows: readonly CellValue[][];
  /** Excel number formats by row and column (`'0.0%'`), where a cell needs one. */
  formats?: readonly (readonly (string | undefined)[])[];
  totals?: CellValue[];
}

interface TableSink {
  add(rows: readonly CellValue[][]): void;
  /** Resolves once what was added has gone on its way (not piled up in the writer). */
  settled(): Promise<void>;
  finish(): Promise<void>;
}

function xlsxTable<T>(output: Writable, table: ExportTable<T>, sample: readonly CellValue[][]): TableSink {
  const book = new XlsxStreamWriter(output);
  const headers = table.columns.map((column) => column.header);
  const layout: SheetLayout = {
    name: table.sheetName,
    title: table.title,
    headers,
    widths: columnWidths(headers, sample),
  };
  const sheet = book.addSheet(layout);
  return {
    add: (rows) => rows.forEach((row) => sheet.addRow(row)),
    settled: () => sheet.compressed(),
    finish: async () => {
      sheet.commit();
      await book.finish();
    },
  };
}

function csvTable<T>(output: Writable, table: ExportTable<T>): TableSink {
  const csv = new CsvStreamWriter(
    output,
    table.columns.map((column) => column.header),
  );
  return { add: (rows) => csv.addRows(rows), settled: () => Promise.resolve(), finish: () => csv.finish() };
}

function cellsOf<T>(columns: readonly ExportColumn<T>[], row: T): CellValue[] {
  return columns.map((column) => column.cell(row));
}
