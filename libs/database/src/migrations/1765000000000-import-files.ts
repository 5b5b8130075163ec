import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who applied an import (an admin may apply a supervisor's), and uploaded files that are not
 * kept for ever: a week after an import has been applied or has failed, or was left validated
 * and never applied, its file is dropped (`file` becomes NULL); its report can no longer be
 * downloaded, nor can it be applied.
 */
export class ImportFiles1765000000000 implements MigrationInterface {
  name = 'ImportFiles1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports ADD COLUMN applied_by uuid REFERENCES users (id)`);
    await q.query(`ALTER TABLE imports ALTER COLUMN file DROP NOT NULL`);
    // The imports whose file may be dropped: found every minute without reading the table.
    await q.query(
      `CREATE INDEX imports_kept_files_idx ON imports (updated_at)
        WHERE file IS NOT NULL AND state IN ('validated', 'applied', 'failed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX imports_kept_files_idx`);
    await q.query(`DELETE FROM imports WHERE file IS NULL`);
    await q.query(`ALTER TABLE imports ALTER COLUMN file SET NOT NULL`);
    await q.query(`ALTER TABLE imports DROP COLUMN applied_by`);
  }
}
