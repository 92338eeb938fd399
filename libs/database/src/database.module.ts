import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ContextDatabase } from './context-database';
import { DATABASE_OPTIONS, DatabaseOptions } from './database-options';
import { DataSourceRegistry } from './data-source.registry';
import { DatabaseHealthIndicator } from './database.health';
import { EmbeddedPostgres } from './embedded/embedded-postgres';
import { runContextMigrations } from './migration-runner';

/**
 * Process-wide database wiring. `forRoot` picks PostgreSQL or the embedded PGlite once;
 * `forContext` gives a context its own DataSource, schema and migrations on top of it. No
 * context module knows which of the two databases it talks to.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    const embedded = !options.url;
    const providers: Provider[] = [
      { provide: DATABASE_OPTIONS, useValue: options },
      DataSourceRegistry,
      DatabaseHealthIndicator,
    ];
    if (embedded) {
      providers.push({
        provide: EmbeddedPostgres,
        useFactory: async () => {
          const embedded = new EmbeddedPostgres(options.dataDir);
          await embedded.start();
          return embedded;
        },
      });
    }
    return {
      module: DatabaseModule,
      imports: [TerminusModule],
      providers,
      exports: [
        DATABASE_OPTIONS,
        DataSourceRegistry,
        DatabaseHealthIndicator,
        ...(embedded ? [EmbeddedPostgres] : []),
      ],
    };
  }

  static forContext(context: ContextDatabase): DynamicModule {
    const name = context.schema;
    // One DataSource per schema, however many modules ask for it.
    const existing = contextModules.get(name);
    if (existing) return existing;
    const registration: Provider = {
      provide: `${name}:data-source-registration`,
      inject: [getDataSourceToken(name), DataSourceRegistry],
      useFactory: (dataSource: DataSource, registry: DataSourceRegistry) =>
        registry.add(name, dataSource),
    };
    const module: DynamicModule = {
      module: ContextDatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          name,
          inject: [DATABASE_OPTIONS, { token: EmbeddedPostgres, optional: true }],
          useFactory: (options: DatabaseOptions, embedded?: EmbeddedPostgres) =>
            dataSourceOptions(context, options, embedded),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await runContextMigrations(dataSource, name);
            return dataSource;
          },
        }),
        TypeOrmModule.forFeature(context.entities as never[], name),
      ],
      providers: [registration],
      exports: [TypeOrmModule],
    };
    contextModules.set(name, module);
    return module;
  }
}

const contextModules = new Map<string, DynamicModule>();

/** One context's DataSource; a module class of its own so each `forContext` import is distinct. */
@Module({})
class ContextDatabaseModule {}

function dataSourceOptions(
  context: ContextDatabase,
  options: DatabaseOptions,
  embedded?: EmbeddedPostgres,
): DataSourceOptions {
  return {
    type: 'postgres',
    schema: context.schema,
    entities: context.entities,
    migrations: context.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    ...(embedded
      ? { driver: embedded.typeormDriver }
      : { url: options.url, applicationName: `identity-platform:${context.schema}`, poolSize: 10 }),
  };
}
