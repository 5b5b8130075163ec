import { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox of reminders, deduplicated by the database, and a record of the days the digest ran. */
export class Reminders1764400000000 implements MigrationInterface {
  name = 'Reminders1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_id uuid NOT NULL REFERENCES users (id),
        kind varchar(32) NOT NULL CHECK (kind IN ('visit_upcoming', 'visit_overdue', 'problem_due_soon',
          'problem_overdue', 'problem_escalated', 'demand_stale', 'digest')),
        subject_type varchar(16) NOT NULL CHECK (subject_type IN ('enterprise', 'problem', 'user')),
        subject_id uuid NOT NULL,
        due_moment timestamptz NOT NULL,
        title varchar(200) NOT NULL,
        body varchar(4000) NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        webhook_state varchar(16) CHECK (webhook_state IN ('pending', 'delivered', 'failed')),
        webhook_attempts int NOT NULL DEFAULT 0,
        webhook_delivered_at timestamptz,
        -- The dedup key: one reminder of a kind, about a subject, to a person, for one due moment.
        CONSTRAINT notifications_dedup UNIQUE (kind, subject_id, recipient_id, due_moment)
      )`);
    await q.query(`CREATE INDEX notifications_inbox_idx ON notifications (recipient_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX notifications_unread_idx ON notifications (recipient_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX notifications_webhook_idx ON notifications (created_at) WHERE webhook_state = 'pending'`,
    );
    await q.query(`
      CREATE TABLE reminder_runs (
        name varchar(32) NOT NULL,
        day date NOT NULL,
        completed_at timestamptz NOT NULL,
        PRIMARY KEY (name, day)
      )`);
    // Open demands by enterprise: stale lists (latest update) and the demand summary read it alone.
    await q.query(
      `CREATE INDEX demands_open_idx ON demands (enterprise_id, updated_at) INCLUDE (headcount, filled_count, occupation_category) WHERE status = 'open'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX demands_open_idx`);
    await q.query(`DROP TABLE reminder_runs`);
    await q.query(`DROP TABLE notifications`);
  }
}
