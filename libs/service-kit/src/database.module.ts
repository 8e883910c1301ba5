import { createDataSource, DatabaseHealthRepository, DatabaseSettings, pendingMigrations } from '@datafactory/db';
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StartupError } from './bootstrap';

type RepositoryClass<T> = new (ds: DataSource) => T;

/** Provides repositories (plain classes taking the DataSource) to Nest. */
export function repositoryProviders(classes: Array<RepositoryClass<unknown>>): Provider[] {
  return classes.map((cls) => ({ provide: cls, useFactory: (ds: DataSource) => new cls(ds), inject: [DataSource] }));
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/**
 * The service's Postgres pool. Start-up fails with an actionable message when the server is
 * unreachable, pgvector is missing or migrations are pending; nothing is ever synchronised.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    const dataSource: Provider = {
      provide: DataSource,
      useFactory: async () => {
        const ds = createDataSource(settings);
        try {
          await ds.initialize();
        } catch (error) {
          const where = new URL(settings.url);
          throw new StartupError(
            `cannot connect to PostgreSQL at ${where.host}${where.pathname} (${(error as Error).message}); check DATABASE_URL`,
          );
        }
        const pending = await pendingMigrations(ds);
        if (pending.length > 0) {
          await ds.destroy();
          throw new StartupError(`database schema is not up to date (pending: ${pending.join(', ')}); run: npm run db:migrate`);
        }
        const pgvector = await new DatabaseHealthRepository(ds).pgvectorVersion();
        if (!pgvector) {
          await ds.destroy();
          throw new StartupError('the pgvector extension is not installed in the database; run: npm run db:migrate');
        }
        const [major = 0, minor = 0] = pgvector.split('.').map(Number);
        if (major === 0 && minor < 8) {
          await ds.destroy();
          // Filtered vector search relies on iterative index scans (pgvector 0.8).
          throw new StartupError(
            `pgvector ${pgvector} is installed; 0.8.0 or newer is required (ALTER EXTENSION vector UPDATE after upgrading the package)`,
          );
        }
        return ds;
      },
    };
    return {
      module: DatabaseModule,
      providers: [dataSource, DataSourceCloser, ...repositoryProviders([DatabaseHealthRepository])],
      exports: [DataSource, DatabaseHealthRepository],
    };
  }
}
