import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const IMPORT_KINDS = ['enterprises'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** validating → validated → applying → applied; any of the working states may end in failed. */
export const IMPORT_STATES = ['validating', 'validated', 'applying', 'applied', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export const IMPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** `all`: every row or nothing; `valid-rows`: the valid rows, leaving the invalid ones out. */
export const IMPORT_MODES = ['all', 'valid-rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** What a dry run counted: rows to create, to update, already as the file says, and invalid. */
export interface ImportCounts {
  create: number;
  update: number;
  unchanged: number;
  invalid: number;
}

/** One bad cell: its row as Excel numbers it (the header is row 1), its column's header, and why. */
export interface ImportCellError {
  row: number;
  column: string;
  message: string;
}

/** A row that changes an enterprise already in the ledger, and the columns it changes. */
export interface ImportUpdate {
  row: number;
  creditCode: string;
  name: string;
  fields: string[];
}

/** A spreadsheet uploaded to change the ledger, with what its dry run found. */
@Entity({ name: 'imports' })
export class Import {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: ImportKind;

  @Column({ type: 'varchar', length: 16 })
  state: ImportState;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 8 })
  format: ImportFormat;

  /** The uploaded bytes (at most 20 MB); never loaded unless asked for; dropped a week after the import ended. */
  @Column({ type: 'bytea', nullable: true, select: false })
  file: Buffer | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Data rows: an estimate while the file is being read, exact once validated. */
  @Column({ name: 'rows_total', type: 'int', default: 0 })
  rowsTotal: number;

  @Column({ name: 'rows_done', type: 'int', default: 0 })
  rowsDone: number;

  @Column({ type: 'jsonb' })
  counts: ImportCounts;

  /** The first 100 bad cells. */
  @Column({ type: 'jsonb' })
  errors: ImportCellError[];

  /** The first 100 rows that update the ledger. */
  @Column({ type: 'jsonb' })
  updates: ImportUpdate[];

  /** One character per data row, in file order: what the dry run planned for it (C, U, N or I). */
  @Column({ type: 'text', nullable: true, select: false })
  outcomes: string | null;

  /** A digest of the plan (each row's outcome and the enterprise versions it was decided on). */
  @Column({ name: 'plan_digest', type: 'varchar', length: 64, nullable: true })
  planDigest: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  mode: ImportMode | null;

  /** Why it failed, in Chinese, for the person who uploaded it. */
  @Column({ type: 'text', nullable: true })
  failure: string | null;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;

  /** Who asked for it to be written (its uploader, or an admin). */
  @Column({ name: 'applied_by', type: 'uuid', nullable: true })
  appliedBy: string | null;
}

/** Every bad cell of one row of an import, for the downloadable report. */
@Entity({ name: 'import_row_errors' })
export class ImportRowError {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId: string;

  @PrimaryColumn({ type: 'int' })
  row: number;

  @Column({ type: 'jsonb' })
  /** `[{column, message}]`. */
  errors: { column: string; message: string }[];
}
