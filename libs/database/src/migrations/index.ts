import { Foundation1764200000000 } from './1764200000000-foundation';

/** Every migration, in order. Listed as classes so the build, jest and the CLI agree. */
export const migrations = [Foundation1764200000000];
