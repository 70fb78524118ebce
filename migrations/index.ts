import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795693563994 } from './1795693563994-initial-schema.js';

/** Every migration, in order. Listed explicitly so tsc output, Vitest and the CLI agree. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1795693563994];
