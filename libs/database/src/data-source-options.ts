import type { DataSourceOptions } from 'typeorm';
import * as entities from './entities';
import { migrations } from './migrations';
import { SafeQueryLogger } from './query-logger';

export const ENTITIES = Object.values(entities).filter((value) => typeof value === 'function');

/** The one set of connection options: the apps, the CLI and the tests all use it. */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
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
    extra: { max: poolSize, application_name: 'keydesk' },
  };
}
