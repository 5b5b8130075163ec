import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * City-wide figures without scanning the city on every read.
 *
 * - `workload_rollups` and `demand_rollups` hold the status-based aggregates of active
 *   enterprises (SPEC: aggregates leave archived ones out) per district and person, and per
 *   district, industry and occupation category. They are kept by triggers in the very
 *   transaction that changes the rows they count, as append-only deltas: a write only inserts,
 *   so concurrent writes never wait for one another on a counter row and cannot deadlock over
 *   one; readers sum, and `compact_rollups()` folds the deltas now and then.
 * - `enterprise_vacancies` holds each enterprise's open demands and shortage per occupation
 *   category (and in all, category ''), which tells when an enterprise starts or stops having
 *   an open demand in a group — the summaries' `enterprises`.
 * - problems and visits carry their enterprise's district and whether it is active, kept by the
 *   same triggers, so the time-dependent figures (overdue, the last 30 days) are counted from an
 *   index alone instead of joining the ledger.
 *
 * A problem, visit or vacancy row takes its enterprise's row FOR SHARE when it is first
 * written, so an archive or a district change running at the same moment either sees it or
 * is seen by it. `rebuild_rollups()` recomputes everything from the rows themselves (after a
 * bulk load, or to check the triggers).
 */
export class Rollups1764600000000 implements MigrationInterface {
  name = 'Rollups1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['problems', 'visits']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN district_code varchar(6), ADD COLUMN enterprise_active boolean`);
      await q.query(`UPDATE ${table} t SET district_code = e.district_code, enterprise_active = e.status = 'active'
                       FROM enterprises e WHERE e.id = t.enterprise_id`);
      await q.query(
        `ALTER TABLE ${table} ALTER COLUMN district_code SET NOT NULL, ALTER COLUMN enterprise_active SET NOT NULL`,
      );
    }
    await q.query(`
      CREATE TABLE enterprise_vacancies (
        enterprise_id uuid NOT NULL REFERENCES enterprises (id),
        occupation_category varchar(16) NOT NULL,
        district_code varchar(6) NOT NULL,
        industry_code varchar(1) NOT NULL,
        enterprise_active boolean NOT NULL,
        open_demands int NOT NULL,
        shortage int NOT NULL,
        PRIMARY KEY (enterprise_id, occupation_category)
      )`);
    await q.query(`
      CREATE TABLE workload_rollups (
        district_code varchar(6) NOT NULL,
        person_id uuid NOT NULL,
        enterprises int NOT NULL DEFAULT 0,
        enterprises_with_shortage int NOT NULL DEFAULT 0,
        shortage int NOT NULL DEFAULT 0,
        open_problems int NOT NULL DEFAULT 0,
        in_progress_problems int NOT NULL DEFAULT 0,
        resolved_problems int NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE demand_rollups (
        district_code varchar(6) NOT NULL,
        industry_code varchar(1) NOT NULL,
        occupation_category varchar(16) NOT NULL,
        enterprises int NOT NULL DEFAULT 0,
        open_demands int NOT NULL DEFAULT 0,
        shortage int NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX workload_rollups_district_idx ON workload_rollups (district_code)`);
    await q.query(`CREATE INDEX demand_rollups_district_idx ON demand_rollups (district_code)`);

    // A rebuild computes everything itself; the triggers stand aside while it runs.
    await q.query(`
      CREATE FUNCTION rollups_rebuilding() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('keydesk.rebuilding_rollups', true), '') = 'on'
      $$`);

    // New problems and visits take their enterprise's district and state.
    await q.query(`
      CREATE FUNCTION take_enterprise_scope() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT e.district_code, e.status = 'active' INTO NEW.district_code, NEW.enterprise_active
          FROM enterprises e WHERE e.id = NEW.enterprise_id FOR SHARE;
        RETURN NEW;
      END $$`);
    for (const table of ['problems', 'visits']) {
      await q.query(`CREATE TRIGGER ${table}_enterprise_scope BEFORE INSERT ON ${table}
                       FOR EACH ROW EXECUTE FUNCTION take_enterprise_scope()`);
    }

    // A problem counts for (its enterprise's district, its assignee) while its enterprise is active.
    await q.query(`
      CREATE FUNCTION problems_to_workload() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.enterprise_active AND OLD.status IN ('open', 'in_progress', 'resolved') THEN
          INSERT INTO workload_rollups (district_code, person_id, open_problems, in_progress_problems, resolved_problems)
          VALUES (OLD.district_code, coalesce(OLD.assignee_id, '00000000-0000-0000-0000-000000000000'),
                  -(OLD.status = 'open')::int, -(OLD.status = 'in_progress')::int, -(OLD.status = 'resolved')::int);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.enterprise_active AND NEW.status IN ('open', 'in_progress', 'resolved') THEN
          INSERT INTO workload_rollups (district_code, person_id, open_problems, in_progress_problems, resolved_problems)
          VALUES (NEW.district_code, coalesce(NEW.assignee_id, '00000000-0000-0000-0000-000000000000'),
                  (NEW.status = 'open')::int, (NEW.status = 'in_progress')::int, (NEW.status = 'resolved')::int);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER problems_workload AFTER INSERT OR DELETE ON problems
                     FOR EACH ROW EXECUTE FUNCTION problems_to_workload()`);
    await q.query(`CREATE TRIGGER problems_workload_change AFTER UPDATE ON problems FOR EACH ROW
                     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
                           OR OLD.district_code IS DISTINCT FROM NEW.district_code
                           OR OLD.enterprise_active IS DISTINCT FROM NEW.enterprise_active)
                     EXECUTE FUNCTION problems_to_workload()`);

    // An open demand counts in its enterprise's vacancies, per category and in all ('').
    await q.query(`
      CREATE FUNCTION add_vacancy(of_enterprise uuid, of_category varchar, demands_delta int, shortage_delta int)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM enterprises WHERE id = of_enterprise FOR SHARE;
        INSERT INTO enterprise_vacancies AS v
               (enterprise_id, occupation_category, district_code, industry_code, enterprise_active, open_demands, shortage)
        SELECT e.id, c.category, e.district_code, e.industry_code, e.status = 'active', demands_delta, shortage_delta
          FROM enterprises e CROSS JOIN (VALUES (''), (of_category)) AS c (category)
         WHERE e.id = of_enterprise
         ORDER BY c.category
        ON CONFLICT (enterprise_id, occupation_category) DO UPDATE
           SET open_demands = v.open_demands + EXCLUDED.open_demands, shortage = v.shortage + EXCLUDED.shortage;
      END $$`);
    await q.query(`
      CREATE FUNCTION demands_to_vacancies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.status = 'open' THEN
          PERFORM add_vacancy(OLD.enterprise_id, OLD.occupation_category, -1, -(OLD.headcount - OLD.filled_count));
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'open' THEN
          PERFORM add_vacancy(NEW.enterprise_id, NEW.occupation_category, 1, NEW.headcount - NEW.filled_count);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER demands_vacancies AFTER INSERT OR DELETE ON demands
                     FOR EACH ROW EXECUTE FUNCTION demands_to_vacancies()`);
    await q.query(`CREATE TRIGGER demands_vacancies_change AFTER UPDATE ON demands FOR EACH ROW
                     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.headcount <> NEW.headcount
                           OR OLD.filled_count <> NEW.filled_count OR OLD.occupation_category <> NEW.occupation_category
                           OR OLD.enterprise_id <> NEW.enterprise_id)
                     EXECUTE FUNCTION demands_to_vacancies()`);

    // A vacancy row counts for (district, industry, category) while its enterprise is active.
    await q.query(`
      CREATE FUNCTION vacancies_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.enterprise_active THEN
          INSERT INTO demand_rollups (district_code, industry_code, occupation_category, enterprises, open_demands, shortage)
          VALUES (OLD.district_code, OLD.industry_code, OLD.occupation_category, -(OLD.open_demands > 0)::int,
                  -OLD.open_demands, -OLD.shortage);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.enterprise_active THEN
          INSERT INTO demand_rollups (district_code, industry_code, occupation_category, enterprises, open_demands, shortage)
          VALUES (NEW.district_code, NEW.industry_code, NEW.occupation_category, (NEW.open_demands > 0)::int,
                  NEW.open_demands, NEW.shortage);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER enterprise_vacancies_rollups AFTER INSERT OR UPDATE OR DELETE ON enterprise_vacancies
                     FOR EACH ROW EXECUTE FUNCTION vacancies_to_rollups()`);

    // An active enterprise counts for (district, commissioner); a move or an archive carries
    // its problems, visits and vacancies along (their own triggers then move their counts).
    await q.query(`
      CREATE FUNCTION enterprises_to_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF rollups_rebuilding() THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' AND OLD.status = 'active' THEN
          INSERT INTO workload_rollups (district_code, person_id, enterprises, enterprises_with_shortage, shortage)
          VALUES (OLD.district_code, coalesce(OLD.commissioner_id, '00000000-0000-0000-0000-000000000000'), -1,
                  -(OLD.shortage > 0)::int, -OLD.shortage);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'active' THEN
          INSERT INTO workload_rollups (district_code, person_id, enterprises, enterprises_with_shortage, shortage)
          VALUES (NEW.district_code, coalesce(NEW.commissioner_id, '00000000-0000-0000-0000-000000000000'), 1,
                  (NEW.shortage > 0)::int, NEW.shortage);
        END IF;
        IF TG_OP = 'UPDATE' AND (OLD.status <> NEW.status OR OLD.district_code <> NEW.district_code
                                 OR OLD.industry_code <> NEW.industry_code) THEN
          UPDATE problems SET district_code = NEW.district_code, enterprise_active = NEW.status = 'active'
           WHERE enterprise_id = NEW.id;
          UPDATE visits SET district_code = NEW.district_code, enterprise_active = NEW.status = 'active'
           WHERE enterprise_id = NEW.id;
          UPDATE enterprise_vacancies
             SET district_code = NEW.district_code, industry_code = NEW.industry_code,
                 enterprise_active = NEW.status = 'active'
           WHERE enterprise_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER enterprises_rollups AFTER INSERT OR DELETE ON enterprises
                     FOR EACH ROW EXECUTE FUNCTION enterprises_to_rollups()`);
    await q.query(`CREATE TRIGGER enterprises_rollups_change AFTER UPDATE ON enterprises FOR EACH ROW
                     WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.district_code IS DISTINCT FROM NEW.district_code
                           OR OLD.industry_code IS DISTINCT FROM NEW.industry_code
                           OR OLD.commissioner_id IS DISTINCT FROM NEW.commissioner_id
                           OR OLD.shortage IS DISTINCT FROM NEW.shortage)
                     EXECUTE FUNCTION enterprises_to_rollups()`);

    // Folds the deltas into one row per key; one caller at a time, the others return at once.
    await q.query(COMPACT_ROLLUPS_V1);

    // Everything from the rows themselves, in one transaction.
    await q.query(REBUILD_ROLLUPS_V1);
    await q.query(`SELECT rebuild_rollups()`);

    // Indexes for the time-dependent figures, counted from the index alone.
    await q.query(`DROP INDEX problems_due_idx`);
    await q.query(`CREATE INDEX problems_due_idx ON problems (due_at)
                     INCLUDE (district_code, enterprise_active, assignee_id) WHERE status IN ('open', 'in_progress')`);
    await q.query(`DROP INDEX problems_closed_idx`);
    await q.query(`CREATE INDEX problems_closed_idx ON problems (closed_at)
                     INCLUDE (reported_at, district_code, enterprise_active) WHERE status = 'closed'`);
    await q.query(
      `CREATE INDEX problems_review_scope_idx ON problems (district_code, resolved_at) WHERE status = 'resolved'`,
    );
    await q.query(`DROP INDEX visits_visited_at_idx`);
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at)
                     INCLUDE (enterprise_id, commissioner_id, district_code, enterprise_active)`);
    await q.query(`DROP INDEX enterprises_next_visit_idx`);
    await q.query(`CREATE INDEX enterprises_next_visit_idx ON enterprises (next_visit_due_at)
                     INCLUDE (district_code, commissioner_id) WHERE status = 'active'`);
    await q.query(`CREATE INDEX enterprises_last_visit_idx ON enterprises (last_visit_at)
                     INCLUDE (district_code) WHERE status = 'active'`);
    // A visit's view finds the demands and problems logged with it (omitted from CityScaleIndexes1764500000000).
    await q.query(
      `CREATE INDEX demands_source_visit_idx ON demands (source_visit_id) WHERE source_visit_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX problems_source_visit_idx ON problems (source_visit_id) WHERE source_visit_id IS NOT NULL`,
    );
    // Index-only counts need an up-to-date visibility map: vacuum the busy tables sooner.
    for (const table of ['enterprises', 'problems', 'visits', 'demands']) {
      await q.query(`ALTER TABLE ${table} SET (autovacuum_vacuum_scale_factor = 0.02,
                       autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['enterprises', 'problems', 'visits', 'demands']) {
      await q.query(`ALTER TABLE ${table} RESET (autovacuum_vacuum_scale_factor,
                       autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)`);
    }
    await q.query(`DROP INDEX problems_source_visit_idx`);
    await q.query(`DROP INDEX demands_source_visit_idx`);
    await q.query(`DROP INDEX enterprises_last_visit_idx`);
    await q.query(`DROP INDEX enterprises_next_visit_idx`);
    await q.query(`CREATE INDEX enterprises_next_visit_idx ON enterprises (next_visit_due_at) WHERE status = 'active'`);
    await q.query(`DROP INDEX problems_review_scope_idx`);
    await q.query(`DROP INDEX visits_visited_at_idx`);
    await q.query(`DROP INDEX problems_closed_idx`);
    await q.query(`DROP INDEX problems_due_idx`);
    await q.query(`DROP TRIGGER enterprises_rollups_change ON enterprises`);
    await q.query(`DROP TRIGGER enterprises_rollups ON enterprises`);
    await q.query(`DROP TRIGGER enterprise_vacancies_rollups ON enterprise_vacancies`);
    await q.query(`DROP TRIGGER demands_vacancies_change ON demands`);
    await q.query(`DROP TRIGGER demands_vacancies ON demands`);
    await q.query(`DROP TRIGGER problems_workload_change ON problems`);
    await q.query(`DROP TRIGGER problems_workload ON problems`);
    await q.query(`DROP TRIGGER problems_enterprise_scope ON problems`);
    await q.query(`DROP TRIGGER visits_enterprise_scope ON visits`);
    await q.query(`DROP FUNCTION rebuild_rollups(), compact_rollups(), enterprises_to_rollups(), vacancies_to_rollups(),
                     demands_to_vacancies(), add_vacancy(uuid, varchar, int, int), problems_to_workload(),
                     take_enterprise_scope(), rollups_rebuilding()`);
    await q.query(`DROP TABLE demand_rollups, workload_rollups, enterprise_vacancies`);
    for (const table of ['problems', 'visits']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN district_code, DROP COLUMN enterprise_active`);
    }
    await q.query(`CREATE INDEX problems_due_idx ON problems (due_at) WHERE status IN ('open', 'in_progress')`);
    await q.query(
      `CREATE INDEX problems_closed_idx ON problems (closed_at) INCLUDE (reported_at) WHERE status = 'closed'`,
    );
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at) INCLUDE (enterprise_id, commissioner_id)`);
  }
}

/** `compact_rollups()` as first defined here (DayRollups1765400000000 extends it; its down puts this back). */
export const COMPACT_ROLLUPS_V1 = `
      CREATE FUNCTION compact_rollups() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('keydesk.compact_rollups')) THEN RETURN; END IF;
        WITH gone AS (DELETE FROM workload_rollups RETURNING *)
        INSERT INTO workload_rollups
        SELECT district_code, person_id, sum(enterprises), sum(enterprises_with_shortage), sum(shortage),
               sum(open_problems), sum(in_progress_problems), sum(resolved_problems)
          FROM gone GROUP BY district_code, person_id
        HAVING sum(enterprises) <> 0 OR sum(shortage) <> 0 OR sum(enterprises_with_shortage) <> 0
            OR sum(open_problems) <> 0 OR sum(in_progress_problems) <> 0 OR sum(resolved_problems) <> 0;
        WITH gone AS (DELETE FROM demand_rollups RETURNING *)
        INSERT INTO demand_rollups
        SELECT district_code, industry_code, occupation_category, sum(enterprises), sum(open_demands), sum(shortage)
          FROM gone GROUP BY district_code, industry_code, occupation_category
        HAVING sum(enterprises) <> 0 OR sum(open_demands) <> 0 OR sum(shortage) <> 0;
      END $$`;

/** `rebuild_rollups()` as first defined here (DayRollups1765400000000 extends it; its down puts this back). */
export const REBUILD_ROLLUPS_V1 = `
      CREATE FUNCTION rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM set_config('keydesk.rebuilding_rollups', 'on', true);
        LOCK TABLE workload_rollups, demand_rollups, enterprise_vacancies IN EXCLUSIVE MODE;
        UPDATE problems t SET district_code = e.district_code, enterprise_active = e.status = 'active'
          FROM enterprises e
         WHERE e.id = t.enterprise_id
           AND (t.district_code <> e.district_code OR t.enterprise_active <> (e.status = 'active'));
        UPDATE visits t SET district_code = e.district_code, enterprise_active = e.status = 'active'
          FROM enterprises e
         WHERE e.id = t.enterprise_id
           AND (t.district_code <> e.district_code OR t.enterprise_active <> (e.status = 'active'));
        DELETE FROM enterprise_vacancies;
        INSERT INTO enterprise_vacancies
        SELECT d.enterprise_id, c.category, e.district_code, e.industry_code, e.status = 'active',
               count(*), sum(d.headcount - d.filled_count)
          FROM demands d JOIN enterprises e ON e.id = d.enterprise_id
         CROSS JOIN LATERAL (VALUES (''), (d.occupation_category)) AS c (category)
         WHERE d.status = 'open'
         GROUP BY d.enterprise_id, c.category, e.district_code, e.industry_code, e.status;
        DELETE FROM workload_rollups;
        INSERT INTO workload_rollups
        SELECT district_code, person_id, sum(enterprises), sum(with_shortage), sum(shortage),
               sum(open), sum(in_progress), sum(resolved)
          FROM (SELECT district_code, coalesce(commissioner_id, '00000000-0000-0000-0000-000000000000') AS person_id,
                       1 AS enterprises, (shortage > 0)::int AS with_shortage, shortage, 0 AS open, 0 AS in_progress,
                       0 AS resolved
                  FROM enterprises WHERE status = 'active'
                UNION ALL
                SELECT district_code, coalesce(assignee_id, '00000000-0000-0000-0000-000000000000'), 0, 0, 0,
                       (status = 'open')::int, (status = 'in_progress')::int, (status = 'resolved')::int
                  FROM problems WHERE enterprise_active AND status IN ('open', 'in_progress', 'resolved')) counted
         GROUP BY district_code, person_id;
        DELETE FROM demand_rollups;
        INSERT INTO demand_rollups
        SELECT district_code, industry_code, occupation_category, count(*) FILTER (WHERE open_demands > 0),
               sum(open_demands), sum(shortage)
          FROM enterprise_vacancies WHERE enterprise_active
         GROUP BY district_code, industry_code, occupation_category;
        PERFORM set_config('keydesk.rebuilding_rollups', 'off', true);
      END $$`;
