import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '@keydesk/config';
import { dataSourceOptions, ENTITIES, onlineSession } from './data-source-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) =>
        dataSourceOptions(env.DATABASE_URL, env.DATABASE_POOL_SIZE, onlineSession(env.DATABASE_STATEMENT_TIMEOUT_MS)),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
