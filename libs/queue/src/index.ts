export * from './redis';
export * from './queues';
export * from './redis.module';
export * from './queue.module';
export * from './reminder-queue';
export * from './import-queue';
