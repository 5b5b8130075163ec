import { Injectable } from '@nestjs/common';
import type { FieldChanges } from '@keydesk/database';
import type { Actor } from '../access/actor';
import { canManageDistrict, canSeeEnterprise } from '../access/scope';
import { CommissionerAccount, ImportsRepository, LedgerEnterprise } from '../repositories/imports.repository';
import { ReferenceRepository } from '../repositories/reference.repository';
import { diffFields, type EnterpriseFields } from '../rules/enterprise-rules';
import { COLUMN_BY_FIELD, columnHeader, type ImportedField } from './enterprise-columns';
import {
  CellFault,
  ConvertedRow,
  convertEnterpriseRow,
  HeaderMap,
  HeaderRead,
  headerError,
  headerOf,
  ImportReferences,
  isBlankRow,
  orderedFaults,
  readHeader,
  referenceLookup,
} from './enterprise-rows';
import { FileTooLargeError } from './import-errors';
import type { SheetRow } from './import-file';

/** The most data rows one file may hold. */
export const MAX_IMPORT_ROWS = 200_000;
/** Rows looked up together: one query for their credit codes, one for their commissioners' accounts. */
export const PLAN_BATCH = 1000;

/** What an import does with a row: create, update, leave unchanged, or leave out as invalid. */
export type RowOutcome = 'C' | 'U' | 'N' | 'I';

export interface PlannedRow {
  row: number;
  outcome: RowOutcome;
  creditCode: string;
  name: string;
  /** Invalid rows: every bad cell. */
  faults: CellFault[];
  /** Created and updated rows: the enterprise's fields as the file has them. */
  fields?: EnterpriseFields;
  /** Created rows: the first commissioner, if the row names one. */
  commissionerId?: string | null;
  /** Updated and unchanged rows: the enterprise as the ledger has it. */
  existing?: LedgerEnterprise;
  /** Updated rows: the ledger fields that change. */
  changes?: FieldChanges;
  /** Updated rows that hand the enterprise to another commissioner. */
  reassignTo?: string;
  /** Updated rows: the changed columns' headers. */
  changedColumns?: string[];
}

const EDITED_FIELDS = [
  'name',
  'industryCode',
  'districtCode',
  'address',
  'tier',
  'employeeCount',
  'contactName',
  'contactPhone',
] as const satisfies readonly (keyof EnterpriseFields)[];

/**
 * Reads an import's rows into what it would do with each, a batch at a time: the domain's field
 * rules, the importer's scope (a supervisor's row outside their districts is an invalid row, not
 * a refused file), duplicates within the file (the later row is invalid, naming the first), and
 * the ledger (a credit code already there is an update of that enterprise, never a second one).
 * Memory stays bounded: a batch of rows, the credit codes seen, the accounts looked up.
 */
@Injectable()
export class EnterpriseImportPlanner {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly reference: ReferenceRepository,
  ) {}

  /** `lock`: the ledger's rows are locked as they are read (the apply, in its transaction). */
  async *plan(rows: AsyncIterable<SheetRow>, actor: Actor, lock: boolean): AsyncGenerator<PlannedRow[]> {
    const [districts, industries] = await Promise.all([this.reference.districts(), this.reference.industries()]);
    const references: ImportReferences = {
      districts: referenceLookup(districts),
      industries: referenceLookup(industries),
    };
    const firstRowOf = new Map<string, number>();
    const accounts = new Map<string, CommissionerAccount | null>();
    let header: HeaderMap | null = null;
    let rowOne: HeaderRead | undefined;
    let dataRows = 0;
    let batch: ConvertedRow[] = [];
    for await (const sheetRow of rows) {
      if (!header) {
        if (sheetRow.row > 2) throw headerError(rowOne);
        header = headerOf(sheetRow, rowOne);
        if (sheetRow.row === 1) rowOne = readHeader(sheetRow);
        continue;
      }
      if (isBlankRow(sheetRow)) continue;
      dataRows += 1;
      if (dataRows > MAX_IMPORT_ROWS) {
        throw new FileTooLargeError(`文件超过 ${MAX_IMPORT_ROWS} 行数据的上限，请拆分后分批导入`);
      }
      const converted = convertEnterpriseRow(sheetRow, header, references);
      if (converted.creditCode !== '') {
        const first = firstRowOf.get(converted.creditCode);
        if (first === undefined) firstRowOf.set(converted.creditCode, converted.row);
        else if (!converted.faults.has('creditCode')) {
          converted.faults.set('creditCode', `与第 ${first} 行的统一社会信用代码重复`);
        }
      }
      batch.push(converted);
      if (batch.length === PLAN_BATCH) {
        yield await this.decide(batch, actor, lock, accounts);
        batch = [];
      }
    }
    if (!header) throw headerError(rowOne);
    if (batch.length > 0) yield await this.decide(batch, actor, lock, accounts);
  }

  private async decide(
    batch: ConvertedRow[],
    actor: Actor,
    lock: boolean,
    accounts: Map<string, CommissionerAccount | null>,
  ): Promise<PlannedRow[]> {
    const unknown = [...new Set(batch.flatMap((row) => row.commissioner ?? []))].filter((name) => !accounts.has(name));
    for (const name of unknown) accounts.set(name, null);
    for (const account of await this.imports.usersByUsernames(unknown)) accounts.set(account.username, account);
    const codes = batch.filter((row) => !row.faults.has('creditCode')).map((row) => row.creditCode);
    const ledger = new Map(
      (await this.imports.ledgerByCreditCodes(codes, lock)).map((enterprise) => [enterprise.creditCode, enterprise]),
    );
    return batch.map((row) => this.decideRow(row, actor, accounts, ledger.get(row.creditCode)));
  }

  private decideRow(
    row: ConvertedRow,
    actor: Actor,
    accounts: ReadonlyMap<string, CommissionerAccount | null>,
    existing: LedgerEnterprise | undefined,
  ): PlannedRow {
    const { faults } = row;
    const fault = (field: ImportedField, message: string) => {
      if (!faults.has(field)) faults.set(field, message);
    };
    let commissionerId: string | null = null;
    if (row.commissioner !== null) {
      const account = accounts.get(row.commissioner);
      if (!account) fault('commissioner', '没有这个账号');
      else if (account.role !== 'commissioner') fault('commissioner', '该账号不是服务专员');
      else if (!account.active) fault('commissioner', '该服务专员账号已停用');
      else commissionerId = account.id;
    }
    const districtCode = row.fields.districtCode;
    if (districtCode !== undefined && !canManageDistrict(actor, districtCode))
      fault('districtCode', '不在您负责的区县');
    if (existing && !canSeeEnterprise(actor, existing)) {
      fault('creditCode', '台账中已有此企业，但它不在您负责的区县');
    }
    const base = { row: row.row, creditCode: row.creditCode, name: row.fields.name ?? '' };
    if (faults.size > 0) return { ...base, outcome: 'I', faults: orderedFaults(faults) };

    const fields = row.fields as EnterpriseFields;
    if (!existing) return { ...base, outcome: 'C', faults: [], fields, commissionerId };
    const changes = diffFields(existing, Object.fromEntries(EDITED_FIELDS.map((field) => [field, fields[field]])));
    const reassign = commissionerId !== null && commissionerId !== existing.commissionerId;
    if (Object.keys(changes).length === 0 && !reassign) return { ...base, outcome: 'N', faults: [], existing };
    const changedColumns = Object.keys(changes).map((field) => COLUMN_BY_FIELD.get(field as ImportedField)!.header);
    if (reassign) changedColumns.push(columnHeader('commissioner'));
    return {
      ...base,
      outcome: 'U',
      faults: [],
      fields,
      existing,
      changes,
      reassignTo: reassign ? commissionerId! : undefined,
      changedColumns,
    };
  }
}
