import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes from EXPLAIN ANALYZE on 100 000 enterprises: the dashboard's visits and closed
 * problems of the last 30 days are read from the index alone, a page of the ledger in name
 * order (however deep) is found by walking (status, name, id) without touching the table.
 * (Demands and problems by source visit are indexed by Rollups1764600000000.)
 */
export class CityScaleIndexes1764500000000 implements MigrationInterface {
  name = 'CityScaleIndexes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX enterprises_status_name_idx`);
    await q.query(`CREATE INDEX enterprises_status_name_idx ON enterprises (status, name, id)`);
    await q.query(`DROP INDEX visits_visited_at_idx`);
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at) INCLUDE (enterprise_id, commissioner_id)`);
    await q.query(
      `CREATE INDEX problems_closed_idx ON problems (closed_at) INCLUDE (reported_at) WHERE status = 'closed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX enterprises_status_name_idx`);
    await q.query(`CREATE INDEX enterprises_status_name_idx ON enterprises (status, name)`);
    await q.query(`DROP INDEX problems_closed_idx`);
    await q.query(`DROP INDEX visits_visited_at_idx`);
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at DESC)`);
  }
}
