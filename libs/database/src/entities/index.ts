export * from './json';
export * from './user.entity';
export * from './reference.entity';
export * from './settings.entity';
export * from './enterprise.entity';
export * from './audit-event.entity';
export * from './field-work.entity';
export * from './notification.entity';
