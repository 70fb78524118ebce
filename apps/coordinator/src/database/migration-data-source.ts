import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#concord/persistence';

// Data source for the TypeORM CLI (`npm run migration:generate`, `migration:run`); the one place
// besides the coordinator's config that reads DATABASE_URL.
const url = process.env.DATABASE_URL;
if (!url)
  throw new Error('DATABASE_URL must point at the PostgreSQL to generate migrations against');

export default new DataSource(dataSourceOptions(url, { poolSize: 1 }));
