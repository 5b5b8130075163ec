import { MigrationInterface, QueryRunner } from 'typeorm';
import { COMPACT_ROLLUPS_V2, REBUILD_ROLLUPS_V2 } from './1765400000000-day-rollups';
import { extendFunction } from './function-text';

/**
 * The problem list's first page and its total at any size, for the web app's 全部 tab (every
 * status, in due-date order) and each status tab.
 *
 * - `problems_due_order_idx`: the due-date indexes hold only problems still worked, so a page of
 *   every status sorted all of them to find its twenty. On 100 000 enterprises (300 000
 *   problems, EXPLAIN ANALYZE) page 1 took 302 ms, a top-N sort after a scan of the table; with
 *   the index it reads its rows in order (1.3 ms), and a page reached by cursor reads what page 1
 *   reads. The index of problems still worked gets the id too, or their lists would walk this one.
 * - `problem_rollups`: how many problems each district has in each status, archived enterprises'
 *   included as the list includes them; kept by triggers as append-only deltas like the other
 *   rollups, folded by `compact_rollups()`, recomputed by `rebuild_rollups()`. A list filtered by
 *   status and district alone (or not at all) is counted from here instead of a count of up to
 *   every problem (30 ms for 300 000).
 */
export class ProblemList1765500000000 implements MigrationInterface {
  name = 'ProblemList1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX problems_due_order_idx ON problems (due_at, id)`);
    // With only the index above in due-date order, the lists of problems still worked (the overdue
    // list, the 未开始 and 处理中 tabs) would walk it past every closed problem: the one of those
    // problems takes the id too, so it serves their order exactly (overdue page 1: 0.5 ms).
    await q.query(`DROP INDEX problems_due_idx`);
    await q.query(`CREATE INDEX problems_due_idx ON problems (due_at, id)
                     INCLUDE (district_code, enterprise_active, assignee_id) WHERE status IN ('open', 'in_progress')`);
    await q.query(`
      CREATE TABLE problem_rollups (
        district_code varchar(6) NOT NULL,
        status varchar(16) NOT NULL,
        count int NOT NULL
      )`);
    await q.query(`CREATE INDEX problem_rollups_status_idx ON problem_rollups (status, district_code) INCLUDE (count)`);
    await q.query(`
      CREATE FUNCTION problems_to_status_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' THEN
          INSERT INTO problem_rollups VALUES (OLD.district_code, OLD.status, -1);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO problem_rollups VALUES (NEW.district_code, NEW.status, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER problems_status_rollups AFTER INSERT OR DELETE ON problems
                     FOR EACH ROW EXECUTE FUNCTION problems_to_status_rollups()`);
    await q.query(`CREATE TRIGGER problems_status_rollups_change AFTER UPDATE ON problems FOR EACH ROW
                     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.district_code IS DISTINCT FROM NEW.district_code)
                     EXECUTE FUNCTION problems_to_status_rollups()`);
    await q.query(COMPACT_ROLLUPS_V3);
    await q.query(REBUILD_ROLLUPS_V3);
    await q.query(`SELECT rebuild_rollups()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(COMPACT_ROLLUPS_V2);
    await q.query(REBUILD_ROLLUPS_V2);
    await q.query(`DROP TRIGGER problems_status_rollups_change ON problems`);
    await q.query(`DROP TRIGGER problems_status_rollups ON problems`);
    await q.query(`DROP FUNCTION problems_to_status_rollups()`);
    await q.query(`DROP TABLE problem_rollups`);
    await q.query(`DROP INDEX problems_due_idx`);
    await q.query(`CREATE INDEX problems_due_idx ON problems (due_at)
                     INCLUDE (district_code, enterprise_active, assignee_id) WHERE status IN ('open', 'in_progress')`);
    await q.query(`DROP INDEX problems_due_order_idx`);
  }
}

/** `compact_rollups()` of DayRollups1765400000000, folding `problem_rollups` too. */
const COMPACT_ROLLUPS_V3 = extendFunction(
  COMPACT_ROLLUPS_V2,
  '      END $$',
  `        WITH gone AS (DELETE FROM problem_rollups RETURNING *)
        INSERT INTO problem_rollups
        SELECT district_code, status, sum(count) FROM gone GROUP BY district_code, status HAVING sum(count) <> 0;
`,
);

/**
 * `rebuild_rollups()` of DayRollups1765400000000, recomputing `problem_rollups` too, and locking
 * it where a problem's insert writes it: after `day_rollups`, before `workload_rollups`.
 */
const REBUILD_ROLLUPS_V3 = extendFunction(
  extendFunction(REBUILD_ROLLUPS_V2, 'workload_rollups, demand_rollups', 'problem_rollups, '),
  "        PERFORM set_config('keydesk.rebuilding_rollups', 'off', true);",
  `        DELETE FROM problem_rollups;
        INSERT INTO problem_rollups SELECT district_code, status, count(*) FROM problems GROUP BY district_code, status;
`,
);
