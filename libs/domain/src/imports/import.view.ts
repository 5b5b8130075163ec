import type { ImportKind, ImportMode, ImportState } from '@keydesk/database';
import { UserRef } from '../users/user.view';

export class ImportCountsView {
  /** Rows that add an enterprise to the ledger. */
  create: number;
  /** Rows that change an enterprise already in the ledger (same credit code). */
  update: number;
  /** Rows whose enterprise is already in the ledger as the row has it. */
  unchanged: number;
  /** Rows left out for their errors. */
  invalid: number;
}

/** One bad cell. */
export class ImportErrorView {
  /** The row as Excel numbers it (the header is row 1). */
  row: number;
  /** The column's header, e.g. 联系电话. */
  column: string;
  /** What is wrong, in Chinese. */
  message: string;
}

/** A row that changes an enterprise already in the ledger. */
export class ImportUpdateView {
  row: number;
  creditCode: string;
  name: string;
  /** The headers of the columns it changes. */
  fields: string[];
}

/** An uploaded spreadsheet: its dry run (counts, first errors and updates) and how far it has got. */
export class ImportView {
  id: string;
  kind: ImportKind;
  fileName: string;
  /** `validating` while a large file is read by the worker; `applying` while it is written. */
  state: ImportState;
  /** Data rows (an estimate while the file is being read). */
  rowsTotal: number;
  /** Rows read so far by the current step. */
  rowsDone: number;
  counts: ImportCountsView;
  /** The first 100 bad cells, in row order. */
  errors: ImportErrorView[];
  /** The first 100 rows that update the ledger. */
  updates: ImportUpdateView[];
  /** How it was applied, once asked to. */
  mode: ImportMode | null;
  /** Why it failed, in Chinese; nothing of it was written. */
  failure: string | null;
  createdBy: UserRef;
  createdAt: Date;
  updatedAt: Date;
  appliedAt: Date | null;
}
