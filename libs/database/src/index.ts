export * from './entities';
export * from './code-labels';
export * from './data-source-options';
export * from './migrate';
export * from './database.module';
export * from './query';
export * from './cursor';
export * from './keyset';
