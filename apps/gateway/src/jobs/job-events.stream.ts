import { JobEvent, JobEventsResponse, TERMINAL_EVENT_TYPES, TenantId, isTerminal, jobEventsChannel } from '@datafactory/contracts';
import { toErrorResponse } from '@datafactory/service-kit';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { UpstreamClients } from '../upstream.clients';

/** Without a pub/sub wake-up (Redis down, message lost), a stream still checks for new events this often. */
const POLL_MS = 2_000;

/**
 * Server-Sent Events for one job. Events live in Postgres (the job-orchestrator serves them by sequence
 * number); Redis pub/sub only wakes the stream. So `Last-Event-ID` resumes exactly, nothing is skipped
 * when a notification is lost, and the stream ends after the terminal event.
 */
@Injectable()
export class JobEventsStream implements OnApplicationShutdown {
  private subscriber: Redis | undefined;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly open = new Set<() => void>();

  constructor(
    private readonly upstream: UpstreamClients,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async stream(tenantId: TenantId, jobId: string, lastEventId: number, req: Request, res: Response): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n\n`);
    let after = lastEventId;
    let closed = false;
    let wake: () => void = () => undefined;
    const woken = () => new Promise<void>((resolve) => (wake = resolve));
    let next = woken();
    const close = () => {
      closed = true;
      wake();
    };
    req.on('close', close);
    this.open.add(close);
    const unsubscribe = this.subscribe(jobEventsChannel(this.config.QUEUE_PREFIX, jobId), () => wake());
    let lastWrite = Date.now();
    try {
      while (!closed) {
        const page = await this.upstream.jobOrchestrator.request<JobEventsResponse>('GET', `/v1/jobs/${jobId}/events?after=${after}`, {
          tenantId,
        });
        for (const event of page.body.items) {
          res.write(format(event));
          after = event.id;
          lastWrite = Date.now();
          if (TERMINAL_EVENT_TYPES.includes(event.type)) closed = true;
        }
        // Resumed after the terminal event (or it was never written): nothing more will come.
        if (page.body.items.length === 0 && isTerminal(page.body.status)) closed = true;
        if (closed || page.body.items.length > 0) continue;
        const untilHeartbeat = Math.max(0, this.config.SSE_HEARTBEAT_MS - (Date.now() - lastWrite));
        await Promise.race([next, new Promise((r) => setTimeout(r, Math.min(POLL_MS, untilHeartbeat)))]);
        next = woken();
        if (!closed && Date.now() - lastWrite >= this.config.SSE_HEARTBEAT_MS) {
          res.write(': heartbeat\n\n');
          lastWrite = Date.now();
        }
      }
    } catch (error) {
      if (!res.writableEnded) res.write(`event: error\ndata: ${JSON.stringify(toErrorResponse(error).body)}\n\n`);
    } finally {
      unsubscribe();
      this.open.delete(close);
      req.off('close', close);
      if (!res.writableEnded) res.end();
    }
  }

  onApplicationShutdown(): void {
    this.open.forEach((close) => close());
    this.subscriber?.disconnect();
  }

  private subscribe(channel: string, listener: () => void): () => void {
    const subscriber = this.connection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      subscriber.subscribe(channel).catch(() => undefined); // polling covers a failed subscription
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        this.listeners.delete(channel);
        subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  private connection(): Redis {
    if (!this.subscriber) {
      this.subscriber = new Redis(this.config.REDIS_URL, {
        connectionName: 'datafactory-gateway-sse',
        retryStrategy: (n) => Math.min(n * 200, 2_000),
      });
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (channel: string) => this.listeners.get(channel)?.forEach((listener) => listener()));
    }
    return this.subscriber;
  }
}

function format(event: JobEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
