import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The id a client gives a visit before sending it. A phone that lost the answer sends the visit
 * again with the same id, and gets the visit already saved rather than a second one (with its
 * demands and problems twice).
 */
export class VisitClientRequest1764800000000 implements MigrationInterface {
  name = 'VisitClientRequest1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visits ADD COLUMN client_request_id uuid`);
    await q.query(
      `CREATE UNIQUE INDEX visits_client_request_idx ON visits (commissioner_id, client_request_id)
        WHERE client_request_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX visits_client_request_idx`);
    await q.query(`ALTER TABLE visits DROP COLUMN client_request_id`);
  }
}
