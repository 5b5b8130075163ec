/**
 * The bounds an uploaded file is read within, whatever it claims about itself: each holds the
 * work and the memory of reading one file to a known amount (a small crafted .xlsx can otherwise
 * inflate to gigabytes, a CSV line hold millions of cells).
 */

/** Rows read from a sheet, blank ones included: Excel's own maximum. */
export const MAX_SHEET_ROWS = 1_048_576;
/** Cells kept of rows 1 and 2 (where the header is): the template has 10 columns, an exported ledger a few dozen. */
export const MAX_HEADER_CELLS = 256;
/** Cells kept of a data row beyond the header's width: none of them is read, a few are written back in the report. */
export const EXTRA_CELLS = 8;
/** Characters kept of a cell: what an Excel cell holds at most. */
export const MAX_CELL_CHARS = 32_767;
/** Characters of one CSV record (csv-parse's limit; its empty cells do not count towards it). */
export const MAX_CSV_RECORD_CHARS = 64 * 1024;
/** Cells of one CSV record, empty ones included: Excel's own column maximum. */
export const MAX_CSV_RECORD_CELLS = 16_384;

/** The XML of an .xlsx that an import inflates (its first sheet and the shared strings): 200 000 rows fit with room. */
export const MAX_XLSX_XML_BYTES = 256 * 1024 * 1024;
/** The shared strings' XML, which the reader keeps in memory whole. */
export const MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024;
/** Distinct strings of a workbook: 200 000 rows of 10 distinct texts, and more. */
export const MAX_SHARED_STRINGS = 3_000_000;
/** The workbook's own small parts (workbook.xml, its relationships), read whole. */
export const MAX_PACKAGE_PART_BYTES = 4 * 1024 * 1024;
/** A part that inflates more than this many times its stored size is a zip bomb (Apache POI's threshold too). */
export const MAX_INFLATE_RATIO = 100;
/** The ratio is not held against parts smaller than this once inflated. */
export const INFLATE_RATIO_GRACE_BYTES = 1024 * 1024;
