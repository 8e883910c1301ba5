import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Server, createServer } from 'node:http';
import { Metrics } from './metrics';

export interface MetricsSettings {
  service: string;
  port: number;
  host: string;
}

const METRICS_SETTINGS = Symbol('METRICS_SETTINGS');

/** Serves `/metrics` on its own port, which the API port never serves. */
@Injectable()
class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly metrics: Metrics,
    @Inject(METRICS_SETTINGS) private readonly settings: MetricsSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      this.metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text))
        .catch((error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${error.message}\n`));
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.settings.port, this.settings.host, () => resolve());
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The route template a request matched (`/v1/docs/:docId`), never the raw path; `unmatched` for a 404. */
export function routeLabel(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return route ? `${req.baseUrl}${route}` : 'unmatched';
}

/** Request count and duration by method, route template (never the raw path: ids stay out of labels) and status. */
@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}

@Global()
@Module({})
export class MetricsModule implements NestModule {
  static forRoot(settings: MetricsSettings): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        { provide: METRICS_SETTINGS, useValue: settings },
        { provide: Metrics, useValue: new Metrics(settings.service) },
        MetricsServer,
        HttpMetricsMiddleware,
      ],
      exports: [Metrics],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
