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
