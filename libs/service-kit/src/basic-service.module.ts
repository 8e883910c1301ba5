import { DatabaseHealthRepository, DatabaseSettings } from '@datafactory/db';
import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Metrics, MetricsModule } from '@datafactory/telemetry';
import { stopTracing } from '@datafactory/telemetry/tracing';
import { DataSource } from 'typeorm';
import { Redis } from 'ioredis';
import { DatabaseModule } from './database.module';
import { HEALTH_CHECKS, HealthController, HealthReporter } from './health';
import { TerminusModule } from '@nestjs/terminus';
import { INTERNAL_TOKEN, InternalAuthGuard } from './internal-auth.guard';
import { createRedisClient, pingRedis } from '@datafactory/queue';
import { evictionPolicyProblem } from '@datafactory/queue';

export interface BasicServiceConfig {
  DATABASE_URL: string;
  DB_POOL_SIZE: number;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
  REDIS_URL: string;
  INTERNAL_TOKEN: string;
  METRICS_PORT: number;
  BIND_HOST: string;
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Pool usage of the service's Postgres and Redis connections, read at scrape time. */
@Injectable()
class ConnectionMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(Redis) private readonly redis: Redis,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('pg_pool_connections', 'Postgres pool connections by state (idle, active, waiting)', ['state'], (set) => {
      const pool = (this.ds.driver as unknown as { master?: PgPool }).master;
      if (!pool) return;
      set({ state: 'idle' }, pool.idleCount);
      set({ state: 'active' }, pool.totalCount - pool.idleCount);
      set({ state: 'waiting' }, pool.waitingCount);
    });
    this.metrics.gauge('redis_connection_pool_size', 'Redis connections of this service that are ready', [], (set) =>
      set({}, this.redis.status === 'ready' ? 1 : 0),
    );
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** Exports the spans still buffered when the service stops (no-op when tracing is off). */
@Injectable()
class TracingFlusher implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

/**
 * What every service has: the Postgres pool, a Redis client, the internal-call guard and
 * `/health/live` + `/health/ready` checking Postgres, pgvector and Redis.
 */
@Module({})
export class BasicServiceModule {
  static forRoot(service: string, config: BasicServiceConfig, database: Pick<DatabaseSettings, 'sessionSettings'> = {}): DynamicModule {
    return {
      module: BasicServiceModule,
      global: true,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        MetricsModule.forRoot({ service, port: config.METRICS_PORT, host: config.BIND_HOST }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
          applicationName: `datafactory-${service}`,
          ...database,
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: INTERNAL_TOKEN, useValue: config.INTERNAL_TOKEN },
        InternalAuthGuard,
        { provide: Redis, useFactory: () => createRedisClient(config.REDIS_URL, `datafactory-${service}`) },
        RedisCloser,
        TracingFlusher,
        ConnectionMetrics,
        HealthReporter,
        {
          provide: HEALTH_CHECKS,
          useFactory: (db: DatabaseHealthRepository, redis: Redis) => ({
            postgres: () => db.ping(),
            pgvector: async () => {
              if (!(await db.pgvectorVersion())) throw new Error('the vector extension is not installed');
            },
            redis: async () => {
              await pingRedis(redis);
              const problem = await evictionPolicyProblem(redis);
              if (problem) throw new Error(problem);
            },
          }),
          inject: [DatabaseHealthRepository, Redis],
        },
      ],
      exports: [INTERNAL_TOKEN, InternalAuthGuard, Redis, HEALTH_CHECKS, HealthReporter],
    };
  }
}
