import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the city-wide aggregates, from EXPLAIN ANALYZE on 100 000 enterprises: the
 * dashboard's visits of the last 30 days and problems closed in the last 30 days are read
 * from the index alone instead of from the tables.
 */
export class CityScaleIndexes1764500000000 implements MigrationInterface {
  name = 'CityScaleIndexes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX visits_visited_at_idx`);
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at) INCLUDE (enterprise_id, commissioner_id)`);
    await q.query(
      `CREATE INDEX problems_closed_idx ON problems (closed_at) INCLUDE (reported_at) WHERE status = 'closed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX problems_closed_idx`);
    await q.query(`DROP INDEX visits_visited_at_idx`);
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at DESC)`);
  }
}
