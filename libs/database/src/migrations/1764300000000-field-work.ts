import { MigrationInterface, QueryRunner } from 'typeorm';

/** Visits, staffing demands, problems with their timeline. */
export class FieldWork1764300000000 implements MigrationInterface {
  name = 'FieldWork1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises (id),
        commissioner_id uuid NOT NULL REFERENCES users (id),
        visited_at timestamptz NOT NULL,
        method varchar(16) NOT NULL CHECK (method IN ('on_site', 'phone', 'online')),
        summary varchar(4000) NOT NULL,
        employee_count int CHECK (employee_count >= 0),
        non_local_staying int CHECK (non_local_staying >= 0),
        unable_to_return int CHECK (unable_to_return >= 0),
        returned int CHECK (returned >= 0),
        next_follow_up_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX visits_enterprise_idx ON visits (enterprise_id, visited_at DESC)`);
    await q.query(`CREATE INDEX visits_commissioner_idx ON visits (commissioner_id, visited_at DESC)`);
    await q.query(`CREATE INDEX visits_visited_at_idx ON visits (visited_at DESC)`);

    await q.query(`
      CREATE TABLE demands (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises (id),
        occupation varchar(100) NOT NULL,
        occupation_category varchar(16) NOT NULL REFERENCES occupation_categories (code),
        headcount int NOT NULL CHECK (headcount >= 1),
        filled_count int NOT NULL DEFAULT 0,
        requirements varchar(2000),
        salary_min int CHECK (salary_min >= 0),
        salary_max int,
        needed_by date,
        urgency varchar(16) NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'high', 'urgent')),
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'cancelled')),
        source_visit_id uuid REFERENCES visits (id),
        created_by_id uuid REFERENCES users (id),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT demands_filled_within_headcount CHECK (filled_count BETWEEN 0 AND headcount),
        CONSTRAINT demands_salary_range CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max),
        CONSTRAINT demands_filled_status CHECK (status = 'cancelled' OR (status = 'filled') = (filled_count = headcount))
      )`);
    await q.query(`CREATE INDEX demands_enterprise_idx ON demands (enterprise_id, status)`);
    await q.query(`CREATE INDEX demands_status_idx ON demands (status, updated_at)`);

    await q.query(`
      CREATE TABLE problems (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises (id),
        title varchar(200) NOT NULL,
        description varchar(4000) NOT NULL DEFAULT '',
        category varchar(32) NOT NULL CHECK (category IN ('recruitment', 'policy_subsidy', 'social_insurance',
          'labor_relations', 'training', 'wage_arrears', 'other')),
        priority varchar(16) NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank smallint GENERATED ALWAYS AS (CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3
          WHEN 'normal' THEN 2 ELSE 1 END) STORED,
        assignee_id uuid REFERENCES users (id),
        reported_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
        resolution varchar(4000),
        escalation_level smallint NOT NULL DEFAULT 0,
        source_visit_id uuid REFERENCES visits (id),
        created_by_id uuid REFERENCES users (id),
        resolved_at timestamptz,
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX problems_enterprise_idx ON problems (enterprise_id, status)`);
    await q.query(`CREATE INDEX problems_assignee_idx ON problems (assignee_id, status)`);
    await q.query(`CREATE INDEX problems_due_idx ON problems (due_at) WHERE status IN ('open', 'in_progress')`);
    await q.query(`CREATE INDEX problems_review_idx ON problems (resolved_at) WHERE status = 'resolved'`);

    await q.query(`
      CREATE TABLE problem_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        problem_id uuid NOT NULL REFERENCES problems (id),
        type varchar(16) NOT NULL CHECK (type IN ('created', 'transition', 'comment', 'reassigned', 'escalated', 'edited')),
        action varchar(16),
        from_status varchar(16),
        to_status varchar(16),
        actor_id uuid REFERENCES users (id),
        note varchar(4000),
        data jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX problem_events_problem_idx ON problem_events (problem_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['problem_events', 'problems', 'demands', 'visits']) await q.query(`DROP TABLE ${table}`);
  }
}
