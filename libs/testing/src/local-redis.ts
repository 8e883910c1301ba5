import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './stack';

/**
 * A throw-away redis-server on a spare port (AOF on, noeviction, as production should run), for fault
 * tests that kill and restart it — keeping its data, or starting empty as if it were lost.
 */
export class LocalRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private dir: string,
  ) {}

  static async create(): Promise<LocalRedis> {
    const redis = new LocalRedis(await freePort(), mkdtempSync(join(tmpdir(), 'df-redis-')));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`local redis on port ${this.port} did not start`);
  }

  /** kill -9: the server dies at once. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts it again, with its data (AOF) or, with `wipe`, empty. */
  async restart(opts: { wipe: boolean }): Promise<void> {
    await this.kill();
    if (opts.wipe) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = mkdtempSync(join(tmpdir(), 'df-redis-'));
    }
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
