import { Redis } from 'ioredis';

/**
 * The services' general client: fails fast while Redis is down (no offline queue) and keeps reconnecting in the
 * background, so callers get a clear error instead of a hang. BullMQ's blocking connections are
 * {@link createBullConnection}.
 */
export function createRedisClient(url: string, name: string): Redis {
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  client.on('error', () => undefined); // reported through health checks, not as unhandled events
  return client;
}

export async function pingRedis(client: Redis): Promise<void> {
  const answer = await client.ping();
  if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
}

/**
 * A connection for BullMQ workers and queue event listeners: BullMQ requires
 * `maxRetriesPerRequest: null` (blocking commands wait through reconnects).
 */
export function createBullConnection(url: string, name: string): Redis {
  const client = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  client.on('error', () => undefined); // surfaced through readiness checks and job failures
  return client;
}

/**
 * Redis must never evict queue data: with any policy other than `noeviction` an accepted job could vanish.
 * Returns a problem description, or null when the setting is right.
 */
export async function evictionPolicyProblem(redis: Redis): Promise<string | null> {
  let reply: string[];
  try {
    reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
  } catch (error) {
    // Managed Redis (ElastiCache, Memorystore, ...) renames CONFIG or denies it by ACL: the policy cannot be read
    // here and is the provider's setting to check. Any other error (connection lost) is a real failure.
    if (/unknown command|NOPERM|no permissions/i.test((error as Error).message)) return null;
    throw error;
  }
  const policy = reply[1];
  if (policy === undefined) return null; // CONFIG GET answers nothing for the key: cannot check
  return policy === 'noeviction'
    ? null
    : `Redis maxmemory-policy is "${policy}"; it must be "noeviction" (redis-cli CONFIG SET maxmemory-policy noeviction)`;
}
