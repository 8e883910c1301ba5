import 'reflect-metadata';
import { ConfigError, prepareEnvironment } from '@datafactory/config';
import { ConsoleLogger, LogLevel, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { toErrorResponse } from './error-body';
import { requestIdFrom, runWithContext, traceFrom } from './request-context';
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

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
function nestLevels(level: string): LogLevel[] {
  const map: Record<string, LogLevel> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'log', debug: 'debug', trace: 'verbose' };
  return LEVELS.slice(0, LEVELS.indexOf(map[level] ?? 'log') + 1);
}

/**
 * Request id and trace context for every request, JSON bodies with a size limit, and errors from
 * body parsing in the same shape as every other error.
 */
export function installHttpBasics(app: NestExpressApplication, bodyLimitBytes: number): void {
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.header(InternalHeader.RequestId));
    const trace = traceFrom(req.header(InternalHeader.TraceParent));
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-trace-id', trace.traceId);
    runWithContext({ requestId, ...trace }, next);
  });
  app.use(express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const { status, body } = toErrorResponse(err);
    res.status(status).json(body);
  });
  app.useGlobalFilters(new AllExceptionsFilter());
}

/**
 * Nest's logger, minus Nest's own report of a start-up failure ("ExceptionHandler"): runService reports it
 * once, as one actionable line for a StartupError (or with the stack for anything else).
 */
class ServiceLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
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
  const logger = new ServiceLogger({ prefix: options.name, json: process.env['NODE_ENV'] === 'production', logLevels: nestLevels(options.logLevel) });
  const app = await NestFactory.create<NestExpressApplication>(module as never, { bodyParser: false, logger, abortOnError: false });
  installHttpBasics(app, options.bodyLimitBytes);
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
export function serve<C extends { BIND_HOST: string; LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number }>(definition: ServiceDefinition<C>): void {
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
