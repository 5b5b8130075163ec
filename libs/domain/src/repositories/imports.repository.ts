import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type {
  FieldChanges,
  ImportCellError,
  ImportCounts,
  ImportFormat,
  ImportKind,
  ImportMode,
  ImportState,
  ImportUpdate,
  JsonValue,
  Role,
  Tier,
} from '@keydesk/database';
import { TransactionContext } from '../transactions/transaction-context';

/** An import as its answer shows it, with who uploaded it. */
export interface ImportRecord {
  id: string;
  kind: ImportKind;
  fileName: string;
  format: ImportFormat;
  state: ImportState;
  rowsTotal: number;
  rowsDone: number;
  counts: ImportCounts;
  errors: ImportCellError[];
  updates: ImportUpdate[];
  mode: ImportMode | null;
  failure: string | null;
  planDigest: string | null;
  /** Whether the uploaded file is still kept (it is dropped a week after the import ended). */
  hasFile: boolean;
  createdById: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  appliedAt: Date | null;
  /** Who asked for it to be written. */
  appliedById: string | null;
}

/** An enterprise of the ledger as an import compares a row with it. */
export interface LedgerEnterprise {
  id: string;
  name: string;
  creditCode: string;
  industryCode: string;
  districtCode: string;
  address: string;
  tier: Tier;
  employeeCount: number;
  contactName: string;
  contactPhone: string;
  commissionerId: string | null;
  version: number;
}

export interface CommissionerAccount {
  id: string;
  username: string;
  role: Role;
  active: boolean;
}

/** A new enterprise as an import writes it (the rest as a single create leaves it). */
export interface ImportedEnterprise {
  name: string;
  creditCode: string;
  industryCode: string;
  districtCode: string;
  address: string;
  tier: Tier;
  employeeCount: number;
  contactName: string;
  contactPhone: string;
  commissionerId: string | null;
}

/** An enterprise's new values, written only if it is still at `version` (then at `newVersion`). */
export interface EnterpriseUpdate extends ImportedEnterprise {
  id: string;
  version: number;
  newVersion: number;
}

export interface RevisionInsert {
  enterpriseId: string;
  action: string;
  changes: FieldChanges;
  version: number;
}

export interface AssignmentInsert {
  enterpriseId: string;
  commissionerId: string;
  previousCommissionerId: string | null;
  reason: string;
}

export interface AuditInsert {
  action: string;
  entityType: string;
  entityId: string;
  details: Record<string, JsonValue>;
}

const LEDGER_COLUMNS = `id, name, credit_code AS "creditCode", industry_code AS "industryCode",
  district_code AS "districtCode", address, tier, employee_count AS "employeeCount",
  contact_name AS "contactName", contact_phone AS "contactPhone", commissioner_id AS "commissionerId", version`;

/** The columns of an enterprise an import sets, as a jsonb record. */
const ENTERPRISE_RECORD = `name text, "creditCode" text, "industryCode" text, "districtCode" text, address text,
  tier text, "employeeCount" int, "contactName" text, "contactPhone" text, "commissionerId" uuid`;

/**
 * The imports: the uploaded file, its dry run and its progress, and the bulk reads and writes of
 * the ledger an import makes (a row at a time would be 200 000 round trips). The bulk writes put
 * down exactly what a single create, update or reassignment writes.
 */
@Injectable()
export class ImportsRepository {
  constructor(
    private readonly tx: TransactionContext,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async insert(values: {
    kind: ImportKind;
    fileName: string;
    format: ImportFormat;
    file: Buffer;
    createdBy: string;
    rowsTotal: number;
    at: Date;
  }): Promise<string> {
    const [{ id }] = await this.tx.manager.query<{ id: string }[]>(
      `INSERT INTO imports (kind, state, file_name, format, file, created_by, rows_total, created_at, updated_at)
       VALUES ($1, 'validating', $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [values.kind, values.fileName, values.format, values.file, values.createdBy, values.rowsTotal, values.at],
    );
    return id;
  }

  async find(id: string): Promise<ImportRecord | null> {
    const [row] = await this.tx.manager.query<ImportRecord[]>(
      `SELECT i.id, i.kind, i.file_name AS "fileName", i.format, i.state, i.rows_total AS "rowsTotal",
              i.rows_done AS "rowsDone", i.counts, i.errors, i.updates, i.mode, i.failure,
              i.plan_digest AS "planDigest", i.file IS NOT NULL AS "hasFile", i.created_by AS "createdById",
              u.display_name AS "createdByName", i.created_at AS "createdAt", i.updated_at AS "updatedAt",
              i.applied_at AS "appliedAt", i.applied_by AS "appliedById"
         FROM imports i JOIN users u ON u.id = i.created_by
        WHERE i.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The uploaded bytes; null once dropped. */
  async fileOf(id: string): Promise<Buffer | null> {
    const [row] = await this.tx.manager.query<{ file: Buffer | null }[]>(`SELECT file FROM imports WHERE id = $1`, [
      id,
    ]);
    return row?.file ?? null;
  }

  /**
   * Drops the files of imports that ended (applied, failed) or were left validated and never
   * applied, untouched since `before`; how many were dropped.
   */
  async dropFilesUntouchedSince(before: Date): Promise<number> {
    const dropped = await this.tx.manager.query<unknown[]>(
      `WITH dropped AS (
         UPDATE imports SET file = NULL
          WHERE file IS NOT NULL AND state IN ('validated', 'applied', 'failed') AND updated_at < $1 RETURNING id)
       SELECT id FROM dropped`,
      [before],
    );
    return dropped.length;
  }

  /** The plan of the dry run, one character per data row. */
  async outcomesOf(id: string): Promise<string> {
    const [row] = await this.tx.manager.query<{ outcomes: string | null }[]>(
      `SELECT outcomes FROM imports WHERE id = $1`,
      [id],
    );
    return row?.outcomes ?? '';
  }

  /**
   * Holds the import's work to one runner until the transaction ends (a job that a stalled
   * worker hands on may run twice). An advisory lock rather than the row's: the progress is
   * written to that row from outside the transaction meanwhile.
   */
  async lockWork(id: string): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('keydesk:import:' || $1))`, [id]);
  }

  async saveValidation(
    id: string,
    result: {
      rowsTotal: number;
      counts: ImportCounts;
      errors: ImportCellError[];
      updates: ImportUpdate[];
      outcomes: string;
      planDigest: string;
      at: Date;
    },
  ): Promise<void> {
    await this.tx.manager.query(
      `UPDATE imports SET state = 'validated', rows_total = $2, rows_done = $2, counts = $3, errors = $4,
              updates = $5, outcomes = $6, plan_digest = $7, updated_at = $8
        WHERE id = $1`,
      [
        id,
        result.rowsTotal,
        JSON.stringify(result.counts),
        JSON.stringify(result.errors),
        JSON.stringify(result.updates),
        result.outcomes,
        result.planDigest,
        result.at,
      ],
    );
  }

  /**
   * Rows read so far, written on a connection of its own (outside any transaction in progress),
   * so that the import's reader sees it at once.
   */
  async reportProgress(id: string, rowsDone: number, rowsTotal: number): Promise<void> {
    await this.db.query(
      `UPDATE imports SET rows_done = $2, rows_total = GREATEST(rows_total, $3) WHERE id = $1 AND state IN ('validating', 'applying')`,
      [id, rowsDone, rowsTotal],
    );
  }

  /** Moves the import from one of `from` to `to`; whether it was in one of them. */
  async changeState(
    id: string,
    from: readonly ImportState[],
    to: ImportState,
    at: Date,
    values: { mode?: ImportMode; failure?: string; appliedAt?: Date; rowsDone?: number; appliedBy?: string } = {},
  ): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      `WITH changed AS (
         UPDATE imports SET state = $3, updated_at = $4, mode = COALESCE($5, mode), failure = COALESCE($6, failure),
                applied_at = COALESCE($7, applied_at), rows_done = COALESCE($8, rows_done),
                applied_by = COALESCE($9, applied_by)
          WHERE id = $1 AND state = ANY($2) RETURNING id)
       SELECT id FROM changed`,
      [
        id,
        from,
        to,
        at,
        values.mode ?? null,
        values.failure ?? null,
        values.appliedAt ?? null,
        values.rowsDone ?? null,
        values.appliedBy ?? null,
      ],
    );
    return rows.length > 0;
  }

  async delete(id: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM imports WHERE id = $1`, [id]);
  }

  /** Imports in a working state untouched since `before`: candidates for having lost their job. */
  async unfinishedSince(before: Date): Promise<{ id: string; state: ImportState }[]> {
    return this.tx.manager.query(
      `SELECT id, state FROM imports WHERE state IN ('validating', 'applying') AND updated_at < $1`,
      [before],
    );
  }

  async deleteRowErrors(importId: string): Promise<void> {
    await this.tx.manager.query(`DELETE FROM import_row_errors WHERE import_id = $1`, [importId]);
  }

  async insertRowErrors(importId: string, rows: { row: number; errors: { column: string; message: string }[] }[]) {
    if (rows.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO import_row_errors (import_id, row, errors)
       SELECT $1, r.row, r.errors FROM jsonb_to_recordset($2::jsonb) AS r(row int, errors jsonb)`,
      [importId, JSON.stringify(rows)],
    );
  }

  /** The faulty rows after `afterRow`, in row order, `limit` at a time (the report reads them beside the file). */
  rowErrorsAfter(
    importId: string,
    afterRow: number,
    limit: number,
  ): Promise<{ row: number; errors: { column: string; message: string }[] }[]> {
    return this.tx.manager.query(
      `SELECT row, errors FROM import_row_errors WHERE import_id = $1 AND row > $2 ORDER BY row LIMIT $3`,
      [importId, afterRow, limit],
    );
  }

  /** The enterprises of the ledger with these credit codes; locked against change when applying. */
  ledgerByCreditCodes(creditCodes: readonly string[], lock: boolean): Promise<LedgerEnterprise[]> {
    if (creditCodes.length === 0) return Promise.resolve([]);
    return this.tx.manager.query(
      `SELECT ${LEDGER_COLUMNS} FROM enterprises WHERE credit_code = ANY($1)${lock ? ' ORDER BY id FOR UPDATE' : ''}`,
      [creditCodes],
    );
  }

  /** The users with these user names, whatever their role (a row naming a supervisor is told so). */
  usersByUsernames(usernames: readonly string[]): Promise<CommissionerAccount[]> {
    if (usernames.length === 0) return Promise.resolve([]);
    return this.tx.manager.query(`SELECT id, username, role, active FROM users WHERE username = ANY($1)`, [usernames]);
  }

  /** Adds enterprises as a single create does (version 1, active); their ids by credit code. */
  insertEnterprises(rows: readonly ImportedEnterprise[], at: Date): Promise<{ id: string; creditCode: string }[]> {
    return this.tx.manager.query(
      `INSERT INTO enterprises (name, credit_code, industry_code, district_code, address, tier, employee_count,
                                contact_name, contact_phone, commissioner_id, status, version, created_at, updated_at)
       SELECT r.name, r."creditCode", r."industryCode", r."districtCode", r.address, r.tier, r."employeeCount",
              r."contactName", r."contactPhone", r."commissionerId", 'active', 1, $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS r(${ENTERPRISE_RECORD})
       RETURNING id, credit_code AS "creditCode"`,
      [JSON.stringify(rows), at],
    );
  }

  /** Writes enterprises' new values and versions; how many were still at the version read. */
  async updateEnterprises(rows: readonly EnterpriseUpdate[], at: Date): Promise<number> {
    if (rows.length === 0) return 0;
    const updated = await this.tx.manager.query<unknown[]>(
      `WITH changed AS (
         UPDATE enterprises e
            SET name = r.name, industry_code = r."industryCode", district_code = r."districtCode",
                address = r.address, tier = r.tier, employee_count = r."employeeCount",
                contact_name = r."contactName", contact_phone = r."contactPhone",
                commissioner_id = r."commissionerId", version = r."newVersion", updated_at = $2
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, version int, "newVersion" int, ${ENTERPRISE_RECORD})
          WHERE e.id = r.id AND e.version = r.version
          RETURNING e.id)
       SELECT id FROM changed`,
      [JSON.stringify(rows), at],
    );
    return updated.length;
  }

  async insertRevisions(rows: readonly RevisionInsert[], actorId: string, at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO enterprise_revisions (enterprise_id, actor_id, action, changes, version, changed_at)
       SELECT r."enterpriseId", $2, r.action, r.changes, r.version, $3
         FROM jsonb_to_recordset($1::jsonb) AS r("enterpriseId" uuid, action text, changes jsonb, version int)`,
      [JSON.stringify(rows), actorId, at],
    );
  }

  async insertAssignments(rows: readonly AssignmentInsert[], actorId: string, at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO enterprise_assignments
              (enterprise_id, commissioner_id, previous_commissioner_id, reason, assigned_by_id, assigned_at)
       SELECT r."enterpriseId", r."commissionerId", r."previousCommissionerId", r.reason, $2, $3
         FROM jsonb_to_recordset($1::jsonb)
           AS r("enterpriseId" uuid, "commissionerId" uuid, "previousCommissionerId" uuid, reason text)`,
      [JSON.stringify(rows), actorId, at],
    );
  }

  async insertAuditEvents(rows: readonly AuditInsert[], actorId: string, at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, details, at)
       SELECT $2, r.action, r."entityType", r."entityId", r.details, $3
         FROM jsonb_to_recordset($1::jsonb) AS r(action text, "entityType" text, "entityId" uuid, details jsonb)`,
      [JSON.stringify(rows), actorId, at],
    );
  }
}
