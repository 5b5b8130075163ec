import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who applied an import (an admin may apply a supervisor's), and uploaded files that are not
 * kept for ever: a week after an import has been applied or has failed, its file is dropped
 * (`file` becomes NULL) and its report can no longer be downloaded.
 */
export class ImportFiles1765000000000 implements MigrationInterface {
  name = 'ImportFiles1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports ADD COLUMN applied_by uuid REFERENCES users (id)`);
    await q.query(`ALTER TABLE imports ALTER COLUMN file DROP NOT NULL`);
    // The finished imports whose file is still kept: found every minute without reading the table.
    await q.query(
      `CREATE INDEX imports_kept_files_idx ON imports (updated_at)
        WHERE file IS NOT NULL AND state IN ('applied', 'failed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX imports_kept_files_idx`);
    await q.query(`DELETE FROM imports WHERE file IS NULL`);
    await q.query(`ALTER TABLE imports ALTER COLUMN file SET NOT NULL`);
    await q.query(`ALTER TABLE imports DROP COLUMN applied_by`);
  }
}
