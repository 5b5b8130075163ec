import { MigrationInterface, QueryRunner } from 'typeorm';
import { COMPACT_ROLLUPS_V1, REBUILD_ROLLUPS_V1 } from './1764600000000-rollups';
import { extendFunction, orReplace } from './function-text';

/**
 * The dashboard's clock-bound figures at a cost that does not grow with the city.
 *
 * Each of them counts rows whose moment falls in a window (visits and visited enterprises in the
 * last 30 days) or before now (overdue visits, overdue problems). `day_rollups` holds, per figure,
 * district and UTC day, how many rows count that day; the same kind of append-only deltas as
 * `workload_rollups`, kept by triggers in the writing transaction and folded by
 * `compact_rollups()`. A window then reads whole days from here and counts only its two partial
 * days from the rows (`DashboardRepository.districtFigures`). On 100 000 enterprises the four
 * exact counts read 30 000–74 000 index entries each (4–6 ms apiece, EXPLAIN ANALYZE).
 *
 * The figures (each counted like its list, active enterprises only):
 * - `visit`: a visit, on its `visited_at`;
 * - `visited`: an enterprise, on its `last_visit_at`;
 * - `visit_due`: an enterprise, on its `next_visit_due_at`;
 * - `problem_due`: a problem still worked (open, in progress), on its `due_at`.
 */
export class DayRollups1765400000000 implements MigrationInterface {
  name = 'DayRollups1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE day_rollups (
        figure varchar(16) NOT NULL,
        district_code varchar(6) NOT NULL,
        day int NOT NULL,
        count int NOT NULL
      )`);
    await q.query(
      `CREATE INDEX day_rollups_figure_day_idx ON day_rollups (figure, day) INCLUDE (district_code, count)`,
    );
    // Days since 1970-01-01 UTC; the repository cuts its windows at the same boundaries.
    await q.query(`
      CREATE FUNCTION utc_day(at timestamptz) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT floor(extract(epoch FROM at) / 86400)::int
      $$`);

    await q.query(`
      CREATE FUNCTION visits_to_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.enterprise_active THEN
          INSERT INTO day_rollups VALUES ('visit', OLD.district_code, utc_day(OLD.visited_at), -1);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.enterprise_active THEN
          INSERT INTO day_rollups VALUES ('visit', NEW.district_code, utc_day(NEW.visited_at), 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER visits_days AFTER INSERT OR DELETE ON visits
                     FOR EACH ROW EXECUTE FUNCTION visits_to_days()`);
    await q.query(`CREATE TRIGGER visits_days_change AFTER UPDATE ON visits FOR EACH ROW
                     WHEN (OLD.visited_at IS DISTINCT FROM NEW.visited_at
                           OR OLD.district_code IS DISTINCT FROM NEW.district_code
                           OR OLD.enterprise_active IS DISTINCT FROM NEW.enterprise_active)
                     EXECUTE FUNCTION visits_to_days()`);

    await q.query(`
      CREATE FUNCTION problems_to_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.enterprise_active AND OLD.status IN ('open', 'in_progress')
           AND OLD.due_at IS NOT NULL THEN
          INSERT INTO day_rollups VALUES ('problem_due', OLD.district_code, utc_day(OLD.due_at), -1);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.enterprise_active AND NEW.status IN ('open', 'in_progress')
           AND NEW.due_at IS NOT NULL THEN
          INSERT INTO day_rollups VALUES ('problem_due', NEW.district_code, utc_day(NEW.due_at), 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER problems_days AFTER INSERT OR DELETE ON problems
                     FOR EACH ROW EXECUTE FUNCTION problems_to_days()`);
    await q.query(`CREATE TRIGGER problems_days_change AFTER UPDATE ON problems FOR EACH ROW
                     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.due_at IS DISTINCT FROM NEW.due_at
                           OR OLD.district_code IS DISTINCT FROM NEW.district_code
                           OR OLD.enterprise_active IS DISTINCT FROM NEW.enterprise_active)
                     EXECUTE FUNCTION problems_to_days()`);

    await q.query(`
      CREATE FUNCTION enterprises_to_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.status = 'active' THEN
          INSERT INTO day_rollups
          SELECT f.figure, OLD.district_code, utc_day(f.at), -1
            FROM (VALUES ('visited', OLD.last_visit_at), ('visit_due', OLD.next_visit_due_at)) AS f (figure, at)
           WHERE f.at IS NOT NULL;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'active' THEN
          INSERT INTO day_rollups
          SELECT f.figure, NEW.district_code, utc_day(f.at), 1
            FROM (VALUES ('visited', NEW.last_visit_at), ('visit_due', NEW.next_visit_due_at)) AS f (figure, at)
           WHERE f.at IS NOT NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER enterprises_days AFTER INSERT OR DELETE ON enterprises
                     FOR EACH ROW EXECUTE FUNCTION enterprises_to_days()`);
    await q.query(`CREATE TRIGGER enterprises_days_change AFTER UPDATE ON enterprises FOR EACH ROW
                     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.district_code IS DISTINCT FROM NEW.district_code
                           OR OLD.last_visit_at IS DISTINCT FROM NEW.last_visit_at
                           OR OLD.next_visit_due_at IS DISTINCT FROM NEW.next_visit_due_at)
                     EXECUTE FUNCTION enterprises_to_days()`);

    await q.query(COMPACT_ROLLUPS_V2);
    await q.query(REBUILD_ROLLUPS_V2);
    await q.query(`SELECT rebuild_rollups()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(orReplace(COMPACT_ROLLUPS_V1));
    await q.query(orReplace(REBUILD_ROLLUPS_V1));
    for (const table of ['enterprises', 'problems', 'visits']) {
      await q.query(`DROP TRIGGER ${table}_days_change ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_days ON ${table}`);
    }
    await q.query(`DROP FUNCTION enterprises_to_days(), problems_to_days(), visits_to_days(), utc_day(timestamptz)`);
    await q.query(`DROP TABLE day_rollups`);
  }
}

/** `compact_rollups()` folding `day_rollups` too (ProblemList1765500000000 extends it; its down puts this back). */
export const COMPACT_ROLLUPS_V2 = extendFunction(
  orReplace(COMPACT_ROLLUPS_V1),
  '      END $$',
  `        WITH gone AS (DELETE FROM day_rollups RETURNING *)
        INSERT INTO day_rollups
        SELECT figure, district_code, day, sum(count) FROM gone GROUP BY figure, district_code, day
        HAVING sum(count) <> 0;
`,
);

/**
 * `rebuild_rollups()` recomputing `day_rollups` too, and locking it first: a problem's or an
 * enterprise's insert writes it before `workload_rollups` (ProblemList1765500000000 extends it;
 * its down puts this back).
 */
export const REBUILD_ROLLUPS_V2 = extendFunction(
  extendFunction(orReplace(REBUILD_ROLLUPS_V1), 'workload_rollups, demand_rollups', 'day_rollups, '),
  "        PERFORM set_config('keydesk.rebuilding_rollups', 'off', true);",
  `        DELETE FROM day_rollups;
        INSERT INTO day_rollups
        SELECT figure, district_code, day, count(*)
          FROM (SELECT 'visit' AS figure, district_code, utc_day(visited_at) AS day FROM visits WHERE enterprise_active
                UNION ALL
                SELECT 'visited', district_code, utc_day(last_visit_at) FROM enterprises
                 WHERE status = 'active' AND last_visit_at IS NOT NULL
                UNION ALL
                SELECT 'visit_due', district_code, utc_day(next_visit_due_at) FROM enterprises
                 WHERE status = 'active' AND next_visit_due_at IS NOT NULL
                UNION ALL
                SELECT 'problem_due', district_code, utc_day(due_at) FROM problems
                 WHERE enterprise_active AND status IN ('open', 'in_progress') AND due_at IS NOT NULL) counted
         GROUP BY figure, district_code, day;
`,
);
