import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, ENTITIES } from '#concord/persistence';

/** TypeORM over the URL chosen at boot (PostgreSQL, or the embedded PGlite socket). */
@Module({})
export class DatabaseModule {
  static forUrl(url: string, poolSize: number): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(url, { poolSize })),
        TypeOrmModule.forFeature(ENTITIES),
      ],
      exports: [TypeOrmModule],
    };
  }
}
