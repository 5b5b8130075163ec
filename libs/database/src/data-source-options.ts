import type { DataSourceOptions } from 'typeorm';
import * as entities from './entities';
import { migrations } from './migrations';
import { SafeQueryLogger } from './query-logger';

export const ENTITIES = Object.values(entities).filter((value) => typeof value === 'function');

/**
 * Session settings of the API's and the worker's connections. Many small queries at once on a
 * few cores: a query never fans out into parallel workers (which, sixteen requests at a time,
 * only fight over the same cores), none is compiled by the JIT (which costs more than it saves on
 * queries of milliseconds, and doubled the dashboard's aggregates), and none runs past the
 * statement timeout (DATABASE_STATEMENT_TIMEOUT_MS, 30 s) after its caller has given up.
 */
export const onlineSession = (statementTimeoutMs: number): string =>
  `-c max_parallel_workers_per_gather=0 -c jit=off -c statement_timeout=${Math.trunc(statementTimeoutMs)}`;

/** The one set of connection options: the apps, the CLI and the tests all use it. */
export function dataSourceOptions(databaseUrl: string, poolSize = 10, sessionOptions?: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logger: new SafeQueryLogger(),
    logging: ['error', 'warn', 'migration'],
    maxQueryExecutionTime: 1000,
    extra: { max: poolSize, application_name: 'keydesk', ...(sessionOptions ? { options: sessionOptions } : {}) },
  };
}
