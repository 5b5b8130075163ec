import { InvalidInputError } from '@keydesk/common';
import { TIER_LABELS, TIERS, type Tier } from '@keydesk/database';
import { enterpriseFieldErrors, type EnterpriseFields } from '../rules/enterprise-rules';
import { chineseMessage, columnHeader, IMPORT_COLUMNS, type ImportedField } from './enterprise-columns';
import type { SheetRow } from './import-file';

/** A bad cell of a row, by its column's header, in Chinese. */
export interface CellFault {
  column: string;
  message: string;
}

/** Where each of the template's columns is in the file (0-based); the optional ones may be absent. */
export type HeaderMap = ReadonlyMap<ImportedField, number>;

/** What a coded column accepts, code or Chinese name, to the code. */
export interface ImportReferences {
  districts: ReadonlyMap<string, string>;
  industries: ReadonlyMap<string, string>;
}

/** A reference table as its lookup: each code and each name leads to the code. */
export function referenceLookup(items: readonly { code: string; name: string }[]): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const { code, name } of items) {
    lookup.set(code.toUpperCase(), code);
    lookup.set(name, code);
  }
  return lookup;
}

const TIER_LOOKUP = new Map<string, Tier>([
  ...TIERS.map((tier) => [tier, tier] as const),
  ...TIERS.map((tier) => [TIER_LABELS[tier], tier] as const),
]);

/** An import's row as the ledger would take it, or the faults that keep it out. */
export interface ConvertedRow {
  row: number;
  /** The fields read (a field whose cell could not be read is absent). */
  fields: Partial<EnterpriseFields>;
  /** The credit code as written, upper-cased; '' when blank. */
  creditCode: string;
  /** The commissioner's account, lower-cased; null when the cell is blank or the column absent. */
  commissioner: string | null;
  /** Each bad cell's message, by field (one per cell: the first fault found). */
  faults: Map<ImportedField, string>;
}

/** Where a header row puts the template's columns, and what it lacks. */
export interface HeaderRead {
  columns: HeaderMap;
  /** Required headers not found. */
  missing: string[];
  /** Headers found more than once. */
  duplicates: string[];
}

/** Reads a row as the header: other columns than the template's are ignored (an exported ledger has more). */
export function readHeader(row: SheetRow): HeaderRead {
  const columns = new Map<ImportedField, number>();
  const duplicates: string[] = [];
  for (const column of IMPORT_COLUMNS) {
    const at = row.cells.indexOf(column.header);
    if (at === -1) continue;
    if (row.cells.indexOf(column.header, at + 1) !== -1) duplicates.push(column.header);
    columns.set(column.field, at);
  }
  const missing = IMPORT_COLUMNS.filter((column) => column.required && !columns.has(column.field));
  return { columns, missing: missing.map((column) => column.header), duplicates };
}

/** A file whose header cannot be used is refused as a whole (400), saying what is missing. */
export function headerError(read: HeaderRead | undefined): InvalidInputError {
  if (!read || read.missing.length === IMPORT_COLUMNS.filter((column) => column.required).length) {
    return new InvalidInputError('第 1 行应为表头：请使用导入模板，表头在第一个工作表的第 1 行');
  }
  if (read.missing.length > 0) {
    return new InvalidInputError(`表头缺少以下列：${read.missing.join('、')}（请使用导入模板，表头在第 1 行）`);
  }
  return new InvalidInputError(`表头中这些列出现了不止一次：${read.duplicates.join('、')}`);
}

/**
 * Finds the header: row 1 of the first sheet, as in the template; or row 2 below a title row, as
 * keydesk's own export writes it, so that an exported ledger can be corrected and imported again.
 * Null while it may still come (`row` is row 1 and lacks it); throws once it cannot.
 */
export function headerOf(row: SheetRow, rowOne: HeaderRead | undefined): HeaderMap | null {
  const read = readHeader(row);
  if (read.missing.length === 0 && read.duplicates.length === 0) return read.columns;
  if (row.row === 1) return null;
  throw headerError(rowOne ?? read);
}

/** A row with nothing in any cell: Excel keeps such rows; they are passed over. */
export const isBlankRow = (row: SheetRow): boolean => row.cells.every((cell) => cell === '');

const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const GROUPED_NUMBER = /^\d{1,3}(,\d{3})+$/;

/**
 * One data row read with the domain's own field rules (`enterpriseFieldErrors`): codes or
 * names for the coded columns, every fault named by column in Chinese. Checks that need the
 * ledger, the users or the importer's scope come later, a batch at a time.
 */
export function convertEnterpriseRow(
  sheetRow: SheetRow,
  header: HeaderMap,
  references: ImportReferences,
): ConvertedRow {
  const faults = new Map<ImportedField, string>();
  const cell = (field: ImportedField): string => {
    const at = header.get(field);
    return at === undefined ? '' : unescapeText(sheetRow.cells[at] ?? '');
  };
  const fields: Partial<EnterpriseFields> = {};
  const coded = <T>(field: ImportedField, lookup: ReadonlyMap<string, T>, unknown: string): T | undefined => {
    const text = cell(field);
    const code = lookup.get(text) ?? lookup.get(text.toUpperCase());
    if (code === undefined) faults.set(field, text === '' ? '不能为空' : unknown);
    return code;
  };

  for (const field of ['name', 'address', 'contactName', 'contactPhone'] as const) fields[field] = cell(field);
  const creditCode = cell('creditCode').toUpperCase();
  fields.creditCode = creditCode;
  const industryCode = coded('industryCode', references.industries, '不是已知的行业，请从下拉列表选择');
  if (industryCode !== undefined) fields.industryCode = industryCode;
  const districtCode = coded('districtCode', references.districts, '不是已知的区县，请从下拉列表选择');
  if (districtCode !== undefined) fields.districtCode = districtCode;
  const tier = coded('tier', TIER_LOOKUP, '应为省级重点、市级重点或区级重点');
  if (tier !== undefined) fields.tier = tier;
  const count = cell('employeeCount');
  if (count === '') faults.set('employeeCount', '不能为空');
  else {
    const plain = GROUPED_NUMBER.test(count) ? count.replaceAll(',', '') : count;
    // Not a number at all: the domain's rule names what it must be.
    fields.employeeCount = (NUMBER.test(plain) ? Number(plain) : plain) as number;
  }

  for (const field of ['name', 'creditCode', 'address', 'contactName', 'contactPhone'] as const) {
    if (fields[field] === '') {
      faults.set(field, '不能为空');
      delete fields[field];
    }
  }
  for (const error of enterpriseFieldErrors(fields)) {
    const field = error.field as ImportedField;
    if (!faults.has(field)) faults.set(field, chineseMessage(error.message));
  }
  const commissioner = cell('commissioner').toLowerCase();
  return {
    row: sheetRow.row,
    fields,
    creditCode,
    commissioner: commissioner === '' ? null : commissioner,
    faults,
  };
}

/** A text our own files wrote safe (`safeText`: a leading apostrophe before a formula's first character), as it was. */
function unescapeText(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Faults in the template's column order. */
export function orderedFaults(faults: ReadonlyMap<ImportedField, string>): CellFault[] {
  return IMPORT_COLUMNS.filter((column) => faults.has(column.field)).map((column) => ({
    column: columnHeader(column.field),
    message: faults.get(column.field)!,
  }));
}
