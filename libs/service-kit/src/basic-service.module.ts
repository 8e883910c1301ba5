import { DatabaseHealthRepository } from '@datafactory/db';
import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DatabaseModule } from './database.module';
import { HEALTH_CHECKS, HealthController } from './health';
import { INTERNAL_TOKEN, InternalAuthGuard } from './internal-auth.guard';
import { createRedisClient, pingRedis } from './redis';
import { evictionPolicyProblem } from '@datafactory/queue';

export interface BasicServiceConfig {
  DATABASE_URL: string;
  DB_POOL_SIZE: number;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number;
  REDIS_URL: string;
  INTERNAL_TOKEN: string;
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/**
 * What every service has: the Postgres pool, a Redis client, the internal-call guard and
 * `/health/live` + `/health/ready` checking Postgres, pgvector and Redis.
 */
@Module({})
export class BasicServiceModule {
  static forRoot(service: string, config: BasicServiceConfig): DynamicModule {
    return {
      module: BasicServiceModule,
      global: true,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DB_POOL_SIZE,
          statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
          applicationName: `datafactory-${service}`,
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: INTERNAL_TOKEN, useValue: config.INTERNAL_TOKEN },
        InternalAuthGuard,
        { provide: Redis, useFactory: () => createRedisClient(config.REDIS_URL, `datafactory-${service}`) },
        RedisCloser,
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
      exports: [INTERNAL_TOKEN, InternalAuthGuard, Redis, HEALTH_CHECKS],
    };
  }
}
