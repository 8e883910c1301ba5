import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Fields of the current request (request, trace and span ids, tenant) that every log line carries. */
export type LogContext = () => Record<string, string | undefined> | undefined;

/**
 * Structured JSON logs (one object per line) with the service name, time, level and the current request's ids.
 * Never log request bodies: secrets in the known places are redacted as a second wall.
 */
export function createLogger(service: string, level: LogLevel, context: LogContext): Logger {
  return pino({
    level,
    base: { service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const ctx = context() ?? {};
      return Object.fromEntries(Object.entries(ctx).filter(([, v]) => v !== undefined));
    },
    redact: {
      paths: [
        'authorization',
        '*.authorization',
        'headers.authorization',
        'api_key',
        '*.api_key',
        'password',
        '*.password',
        'text',
        '*.text',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}

const NEST_TO_PINO: Record<string, LogLevel> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/** Nest's logger interface on top of pino; Nest's own start-up failure report is left to the caller. */
export class JsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return; // reported once, clearly, by runService
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(nestLevel: string, message: unknown, rest: unknown[]): void {
    const level = NEST_TO_PINO[nestLevel] ?? 'info';
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack =
      rest.length > 1 && typeof rest[0] === 'string' && (rest[0] as string).includes('\n    at ') ? (rest[0] as string) : undefined;
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else this.logger[level](fields, typeof message === 'string' ? message : JSON.stringify(message));
  }
}
