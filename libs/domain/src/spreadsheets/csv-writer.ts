import type { Writable } from 'node:stream';
import { CellValue, safeCell } from './sheet-writer';

/** Excel takes a CSV file for UTF-8 only when it starts with the byte order mark. */
export const UTF8_BOM = '\uFEFF';

/** A field as RFC 4180 writes it: quoted when it holds a quote, a comma or a line break, quotes doubled. */
export function csvField(value: CellValue): string {
  const text = value === null ? '' : String(safeCell(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(cells: readonly CellValue[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/**
 * A CSV file written as it goes: the BOM and the header record first (no title: a CSV file is
 * data only), then the rows in the batches they come in.
 */
export class CsvStreamWriter {
  constructor(
    private readonly output: Writable,
    headers: readonly string[],
  ) {
    output.write(UTF8_BOM + csvRecord(headers));
  }

  /** Writes the rows as one chunk; false when the output asks the writer to wait for it to drain. */
  addRows(rows: readonly (readonly CellValue[])[]): boolean {
    if (rows.length === 0) return true;
    return this.output.write(rows.map(csvRecord).join(''));
  }

  finish(): Promise<void> {
    return new Promise((resolve) => this.output.end(resolve));
  }
}

/**
 * Resolves once the output can take more (it has drained), has closed, or the work is called
 * off: a file is produced no faster than the client reads it, so its rows never pile up here.
 */
export function writable(output: Writable, signal: AbortSignal): Promise<void> {
  if (!output.writableNeedDrain || output.destroyed || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    output.on('drain', done);
    output.on('close', done);
    signal.addEventListener('abort', done);
  });
}
