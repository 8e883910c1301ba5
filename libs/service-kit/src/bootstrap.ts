import 'reflect-metadata';
import { ConfigError, prepareEnvironment } from '@datafactory/config';
import { Logger } from '@nestjs/common';
import { JsonLogger, LogLevel, createLogger, routeLabel } from '@datafactory/telemetry';
import type { Logger as PinoLogger } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { HandlerSpanInterceptor } from './handler-span.interceptor';
import { toErrorResponse } from './error-body';
import { currentContext, logContext, requestIdFrom, runWithContext, traceFrom } from './request-context';
import { InternalHeader } from '@datafactory/contracts';

export interface ServiceOptions {
  name: string;
  port: number;
  host: string;
  logLevel: string;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** Extra set-up before listening (OpenAPI, ...). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
}

/**
 * Request id and trace context for every request, JSON bodies with a size limit, and errors from
 * body parsing in the same shape as every other error.
 */
export function installHttpBasics(app: NestExpressApplication, bodyLimitBytes: number, logger?: PinoLogger): void {
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.header(InternalHeader.RequestId));
    const trace = traceFrom(req.header(InternalHeader.TraceParent));
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-trace-id', trace.traceId);
    const started = performance.now();
    runWithContext({ requestId, ...trace }, () => {
      if (logger) {
        // One access line per request: route template, never the raw path, and never a body. The context object
        // is captured now: 'finish' fires outside the request's async context; guards fill in the tenant later.
        const ctx = currentContext();
        res.on('finish', () => {
          logger.info(
            {
              request_id: ctx?.requestId,
              trace_id: ctx?.traceId,
              span_id: ctx?.spanId,
              ...(ctx?.tenantId ? { tenant_id: ctx.tenantId } : {}),
              method: req.method,
              route: routeLabel(req),
              status: res.statusCode,
              duration_ms: Math.round((performance.now() - started) * 10) / 10,
            },
            'request',
          );
        });
      }
      next();
    });
  });
  app.use(express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const { status, body } = toErrorResponse(err);
    res.status(status).json(body);
  });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalInterceptors(new HandlerSpanInterceptor());
}

/** Thrown during start-up for a problem an operator must fix (not a bug): printed without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Runs a service's start function. Configuration and start-up problems end the process with a
 * clear message and a non-zero code instead of a stack trace or a half-started service.
 */
export function runService(name: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`[${name}] ${error.message}\n[${name}] not started: fix the settings above (environment or .env)\n`);
      process.exit(78); // EX_CONFIG
    }
    if (error instanceof StartupError) {
      process.stderr.write(`[${name}] not started: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`[${name}] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/** Creates the Nest app with the shared HTTP basics and starts listening. */
export async function startHttpService(module: unknown, options: ServiceOptions): Promise<NestExpressApplication> {
  const pinoLogger = createLogger(options.name, options.logLevel as LogLevel, logContext);
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    bodyParser: false,
    logger: new JsonLogger(pinoLogger),
    abortOnError: false,
  });
  installHttpBasics(app, options.bodyLimitBytes, pinoLogger);
  app.enableShutdownHooks();
  await options.configure?.(app);
  await app.listen(options.port, options.host);
  new Logger('bootstrap').log(`${options.name} listening on http://${options.host}:${options.port}`);
  installShutdownDeadline(options.shutdownTimeoutMs);
  return app;
}

/** If graceful shutdown hangs (a stuck connection), exit anyway rather than linger forever. */
function installShutdownDeadline(timeoutMs: number): void {
  const arm = () => setTimeout(() => process.exit(1), timeoutMs).unref();
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}

/** What every app's main.ts needs to start: its validated config and how to build its module from it. */
export interface ServiceDefinition<C extends { BIND_HOST: string; LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number }> {
  name: string;
  loadConfig: () => C;
  module: (config: C) => unknown;
  port: (config: C) => number;
  /** Largest JSON body accepted (default 1 MiB). */
  bodyLimitBytes?: (config: C) => number;
  configure?: ServiceOptions['configure'];
}

/** The whole start of a service: `.env`, validated config, then HTTP; failures end the process clearly. */
export function serve<C extends { BIND_HOST: string; LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number }>(
  definition: ServiceDefinition<C>,
): void {
  runService(definition.name, async () => {
    prepareEnvironment();
    const config = definition.loadConfig();
    await startHttpService(definition.module(config), {
      name: definition.name,
      port: definition.port(config),
      host: config.BIND_HOST,
      logLevel: config.LOG_LEVEL,
      bodyLimitBytes: definition.bodyLimitBytes?.(config) ?? 1024 * 1024,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      ...(definition.configure ? { configure: definition.configure } : {}),
    });
  });
}
