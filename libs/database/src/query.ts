import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * The rows a list query matches, as a plain COUNT(*). TypeORM's getCount() counts DISTINCT
 * primary keys, which costs a sort or hash of every match; list joins here are to-one, so a
 * plain count is the same number, read from an index where one fits.
 */
export async function countRows<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): Promise<number> {
  const row = await query
    .clone()
    .select('COUNT(*)::int', 'total')
    .orderBy()
    .offset(undefined)
    .limit(undefined)
    .getRawOne<{
      total: number;
    }>();
  return row?.total ?? 0;
}

/** Runs SQL written with named parameters (`:name`, as the scope conditions use them) through TypeORM's escaping. */
export function namedQuery<T>(
  db: DataSource | EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const driver = 'driver' in db ? db.driver : db.connection.driver;
  const [query, values] = driver.escapeQueryWithParameters(sql, params);
  return db.query<T[]>(query, values);
}

/**
 * `namedQuery` as a named prepared statement: PostgreSQL parses and plans it once per connection
 * instead of on every call (the dashboard's headline statement spends about 4 ms planning its
 * fourteen subqueries, more than most of them take to run). The name carries a digest of the
 * text, so each variant (a scope adds a condition) is its own statement. Bypasses TypeORM's
 * query logging: for statements whose text is fixed in code, never for built ones.
 */
export async function preparedQuery<T>(
  manager: EntityManager,
  name: string,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PreparingClient;
    const digest = createHash('sha1').update(text).digest('hex').slice(0, 16);
    const result = await client.query<T>({ name: `${name}-${digest}`, text, values });
    return result.rows;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** The part of node-postgres' client that `preparedQuery` uses. */
interface PreparingClient {
  query<T>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}
