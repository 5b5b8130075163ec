import type { DataSource } from 'typeorm';

/** Rows fetched per round trip when a query is read through a cursor. */
export const CURSOR_BATCH_SIZE = 1000;

/**
 * A query's rows batch by batch, read through a server-side cursor: however many rows match, only
 * one batch is in memory. The rows come from one snapshot (a read-only REPEATABLE READ
 * transaction) on a connection of the reader's own, and that transaction ends and the connection
 * returns to the pool however the reading ends: every row read, an error, or the reader stopping
 * early (`break` out of `for await`, or `return()` on the iterator).
 */
export async function* cursorBatches<T>(
  db: DataSource,
  sql: string,
  parameters: readonly unknown[],
  batchSize = CURSOR_BATCH_SIZE,
): AsyncGenerator<T[], void, undefined> {
  const runner = db.createQueryRunner();
  let open = false;
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    // Every row will be read: plan for the whole result, not (as for a cursor by default) its first tenth.
    await runner.query('SET LOCAL cursor_tuple_fraction = 1.0');
    await runner.query(`DECLARE batch_cursor NO SCROLL CURSOR FOR ${sql}`, [...parameters]);
    for (;;) {
      const rows = (await runner.query(`FETCH FORWARD ${Math.trunc(batchSize)} FROM batch_cursor`)) as T[];
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) break;
    }
    await runner.query('COMMIT');
    open = false;
  } finally {
    // A ROLLBACK that fails means the connection is gone; the pool drops a broken one itself.
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

/** Each batch mapped row by row, lazily: stopping the result early stops (and closes) the source. */
export async function* mapBatches<T, U>(batches: AsyncIterable<T[]>, map: (row: T) => U): AsyncGenerator<U[]> {
  for await (const batch of batches) yield batch.map(map);
}
