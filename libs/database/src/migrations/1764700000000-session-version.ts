import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-user session version, carried in every access token: a password reset or a
 * deactivation raises it, and a token with any other version is refused. Exact where the
 * one-second `iat` of a token was not (a change in the same second as a login left that
 * login's session alive).
 */
export class SessionVersion1764700000000 implements MigrationInterface {
  name = 'SessionVersion1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN session_version`);
  }
}
