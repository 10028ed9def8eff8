import { Logger, Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';

import { dataSourceOptions } from './data-source.js';
import type { DatabaseConfig } from './database-config.type.js';
import { DatabaseHealthIndicator } from './database-health.indicator.js';
import { initializeMigrated } from './migrations-lock.util.js';
import { ENTITIES } from './persistence.constants.js';
import { DataDirInUseError } from './pglite/data-dir-lock.js';

export interface PersistenceModuleOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: readonly unknown[];
  readonly useFactory: (...args: never[]) => DatabaseConfig | Promise<DatabaseConfig>;
  /**
   * Connection attempts before boot fails, first one included. A PostgreSQL server may still be
   * starting next to us (docker compose); an embedded database either opens or never will.
   */
  readonly connectAttempts?: number;
}

/**
 * The database for the whole app: PostgreSQL or embedded PGlite, chosen by configuration, with
 * pending migrations applied when it connects, one process at a time. Repositories of every
 * entity are injectable.
 */
@Module({})
export class PersistenceModule {
  static forRootAsync(options: PersistenceModuleOptions): DynamicModule {
    const logger = new Logger(PersistenceModule.name);
    // Set by useFactory, which Nest runs before dataSourceFactory.
    let kind: DatabaseConfig['kind'] = 'postgres';
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: options.imports ?? [],
          inject: [...(options.inject ?? [])] as never[],
          useFactory: async (...args: unknown[]) => {
            const config = await options.useFactory(...(args as never[]));
            kind = config.kind;
            const attempts = options.connectAttempts ?? (config.kind === 'postgres' ? 5 : 1);
            return {
              ...dataSourceOptions(config, { log: (message) => logger.warn(message) }),
              retryAttempts: attempts,
              retryDelay: 2_000,
              // Retry reaching the server, not a failing migration or query, nor a data folder
              // another process holds: those fail the same again.
              toRetry: (error: unknown) =>
                !(error instanceof QueryFailedError) && !(error instanceof DataDirInUseError),
            };
          },
          dataSourceFactory: async (typeormOptions) => {
            if (!typeormOptions) throw new Error('TypeORM options missing');
            return initializeMigrated(new DataSource(typeormOptions), kind);
          },
        }),
        TypeOrmModule.forFeature(ENTITIES),
      ],
      providers: [DatabaseHealthIndicator],
      exports: [TypeOrmModule, DatabaseHealthIndicator],
    };
  }
}
