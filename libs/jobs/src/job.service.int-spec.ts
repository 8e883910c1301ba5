import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { AppError, ErrorCode, JobPriority, TenantId } from '@datafactory/contracts';
import { ErasureRepository } from '@datafactory/erasure';
import { JobItemsRepository } from './job-items.repository';
import { JobsRepository } from './jobs.repository';
import { createRedisClient } from '@datafactory/queue';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { JobService } from './job.service';
import { outboxKickChannel } from './outbox-kick';

const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** JobService on the real schema and a real Redis: what commits together, what is refused, and the relay's kick. */
describe('JobService (Postgres, Redis)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let redis: Redis;
  let service: JobService;
  let tenant: TenantId;
  const prefix = `dftest-jobs-${randomBytes(4).toString('hex')}`;
  const settings = { QUEUE_PREFIX: prefix, JOB_MAX_ATTEMPTS: 7 };

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'job-service', poolSize: 4, statementTimeoutMs: 15_000 });
    ds = db.ds;
    redis = createRedisClient(redisUrl, 'df-int-job-service');
    await new Promise((resolve) => redis.once('ready', resolve)); // the client has no offline queue
    service = new JobService(ds, new JobsRepository(ds), redis, settings);
    tenant = await db.tenant('job service int');
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.close();
  });

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number(((await ds.query(sql, params)) as Array<{ n: string }>)[0]!.n);

  it('gives every type its queue, priority and the configured attempts, with an outbox row each', async () => {
    const created = [
      await service.create(tenant, {
        type: 'batch_upsert',
        namespace: 'n',
        priority: JobPriority.Batch,
        documents: [{ doc_id: 'a', text: 'x' }],
      }),
      await service.create(tenant, { type: 'index_rebuild', namespace: 'n' }),
      await service.create(tenant, { type: 'erasure', namespace: 'n', params: { erasure_id: '00000000-0000-4000-8000-000000000001' } }),
      await service.create(tenant, { type: 'retention_sweep' }),
    ];
    expect(created.map((c) => [c.job.type, c.job.priority, c.job.maxAttempts, c.job.queue, c.job.namespace])).toEqual([
      ['batch_upsert', JobPriority.Batch, 7, 'ingest', 'n'],
      ['index_rebuild', JobPriority.Maintenance, 7, 'ingest', 'n'],
      ['erasure', JobPriority.Interactive, 7, 'ingest', 'n'],
      ['retention_sweep', JobPriority.Maintenance, 7, 'ingest', '*'],
    ]);
    for (const { job } of created) expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_id = $1`, [job.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM job_items WHERE job_id = $1`, [created[0]!.job.id])).toBe(1);
  });

  it("commits the caller's rows and the job together, and rolls both back when the caller fails after creating it", async () => {
    const erasures = new ErasureRepository(ds);
    const request = {
      scope: 'namespace' as const,
      namespace: 'rollback',
      docId: null,
      subjectHash: null,
      dryRun: true,
      requestedBy: 'admin',
    };
    const before = await count(`SELECT count(*) AS n FROM jobs WHERE tenant_id = $1`, [tenant]);
    await expect(
      service.createWith(tenant, async (tx, createJob) => {
        const erasure = await erasures.create(tenant, request, tx);
        const { job } = await createJob({ type: 'erasure', namespace: 'rollback', params: { erasure_id: erasure.id } });
        await erasures.attachJob(erasure.id, job.id, tx);
        throw new Error('the caller fails after its job was created');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await count(`SELECT count(*) AS n FROM jobs WHERE tenant_id = $1`, [tenant])).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM erasure_requests WHERE tenant_id = $1 AND namespace = 'rollback'`, [tenant])).toBe(0);

    const linked = await service.createWith(tenant, async (tx, createJob) => {
      const erasure = await erasures.create(tenant, request, tx);
      const { job } = await createJob({ type: 'erasure', namespace: 'rollback', params: { erasure_id: erasure.id } });
      await erasures.attachJob(erasure.id, job.id, tx);
      return { erasureId: erasure.id, jobId: job.id };
    });
    expect((await erasures.get(tenant, linked.erasureId))?.jobId).toBe(linked.jobId);
  });

  it('returns the first job for the same idempotency key and request, and refuses another request under it', async () => {
    const origin = { idempotencyKey: `key-${randomBytes(4).toString('hex')}`, requestHash: 'h1' };
    const first = await service.create(tenant, { type: 'index_rebuild', namespace: 'idem' }, origin);
    const again = await service.create(tenant, { type: 'index_rebuild', namespace: 'idem' }, origin);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    const error = await service
      .create(tenant, { type: 'index_rebuild', namespace: 'idem' }, { ...origin, requestHash: 'h2' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.IdempotencyKeyReused });
  });

  it('tells the outbox relay on its channel when a job was created', async () => {
    const subscriber = new Redis(redisUrl);
    try {
      await subscriber.subscribe(outboxKickChannel(prefix));
      const kicked = new Promise<string>((resolve) => subscriber.once('message', (channel: string) => resolve(channel)));
      await service.create(tenant, { type: 'retention_sweep' });
      await expect(kicked).resolves.toBe(`${prefix}:outbox:kick`);
    } finally {
      subscriber.disconnect();
    }
  });

  it('refuses with queue_unavailable, writing nothing, while Redis is unreachable', async () => {
    const down = createRedisClient('redis://127.0.0.1:1', 'df-int-job-service-down');
    try {
      const offline = new JobService(ds, new JobsRepository(ds), down, settings);
      const before = await count(`SELECT count(*) AS n FROM jobs WHERE tenant_id = $1`, [tenant]);
      const error = await offline.create(tenant, { type: 'retention_sweep' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: ErrorCode.QueueUnavailable });
      expect(await count(`SELECT count(*) AS n FROM jobs WHERE tenant_id = $1`, [tenant])).toBe(before);
      // A background caller stores the job anyway: the outbox delivers it once Redis is back.
      const stored = await offline.create(tenant, { type: 'retention_sweep' }, {}, { checkQueue: false });
      expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_id = $1`, [stored.job.id])).toBe(1);
    } finally {
      down.disconnect();
    }
  });

  it('knows whether another unfinished batch of the namespace still has documents to write (the last one builds the index)', async () => {
    const jobs = new JobItemsRepository(ds);
    const batch = (namespace: string) =>
      service.create(tenant, { type: 'batch_upsert', namespace, priority: JobPriority.Batch, documents: [{ doc_id: 'd', text: 't' }] });
    const first = (await batch('last-one')).job;
    const second = (await batch('last-one')).job;
    await batch('elsewhere');
    expect(await jobs.otherBatchesWriting(tenant, 'last-one', first.id)).toBe(true);
    await ds.query(`UPDATE job_items SET status = 'done' WHERE job_id = $1`, [second.id]);
    expect(await jobs.otherBatchesWriting(tenant, 'last-one', first.id)).toBe(false);
    await ds.query(`UPDATE job_items SET status = 'pending' WHERE job_id = $1`, [second.id]);
    await ds.query(`UPDATE jobs SET status = 'cancelled' WHERE id = $1`, [second.id]);
    expect(await jobs.otherBatchesWriting(tenant, 'last-one', first.id)).toBe(false); // an ended job writes nothing more
  });
});
