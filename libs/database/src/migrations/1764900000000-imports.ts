import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spreadsheet imports of the ledger. The uploaded file lives in PostgreSQL (the API that takes it
 * and the worker that reads it may run on different hosts); at most 20 MB, read whole once per
 * pass. What a dry run found is kept for the report: the counts, the first 100 faults and
 * updates for the answer, every faulty row in `import_row_errors` (the downloadable report marks
 * each bad cell), and the plan itself (`outcomes`, `plan_digest`), which the apply checks again so
 * that it writes exactly what the report showed or nothing at all.
 */
export class Imports1764900000000 implements MigrationInterface {
  name = 'Imports1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(32) NOT NULL CHECK (kind IN ('enterprises')),
        state varchar(16) NOT NULL CHECK (state IN ('validating', 'validated', 'applying', 'applied', 'failed')),
        file_name varchar(255) NOT NULL,
        format varchar(8) NOT NULL CHECK (format IN ('xlsx', 'csv')),
        file bytea NOT NULL CHECK (octet_length(file) <= 20971520),
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        rows_total int NOT NULL DEFAULT 0,
        rows_done int NOT NULL DEFAULT 0,
        counts jsonb NOT NULL DEFAULT '{"create": 0, "update": 0, "unchanged": 0, "invalid": 0}',
        errors jsonb NOT NULL DEFAULT '[]',
        updates jsonb NOT NULL DEFAULT '[]',
        outcomes text,
        plan_digest varchar(64),
        mode varchar(16) CHECK (mode IN ('all', 'valid-rows')),
        failure text,
        applied_at timestamptz
      )`);
    await q.query(`CREATE INDEX imports_created_by_idx ON imports (created_by, created_at)`);
    // Imports a worker may have left behind: found at its start without reading the table.
    await q.query(
      `CREATE INDEX imports_unfinished_idx ON imports (updated_at) WHERE state IN ('validating', 'applying')`,
    );
    await q.query(`
      CREATE TABLE import_row_errors (
        import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        row int NOT NULL,
        errors jsonb NOT NULL,
        PRIMARY KEY (import_id, row)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_row_errors`);
    await q.query(`DROP TABLE imports`);
  }
}
