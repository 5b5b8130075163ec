/**
 * The schema's coded values and JSON shapes, with no dependency (no TypeORM): what the web app
 * imports as `@keydesk/database`, for the domain's pure rules, with the codes' Chinese names.
 */
export * from './entities/enums';
export * from './entities/json';
export * from './code-labels';
