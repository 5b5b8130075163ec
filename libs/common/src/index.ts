export * from './errors';
export * from './clock';
export * from './page';
export * from './postgres-errors';
export * from './sql';
