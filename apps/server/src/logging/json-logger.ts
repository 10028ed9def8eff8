import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import { pino, type Level, type Logger, type DestinationStream } from 'pino';

import type { LogLevel } from '../config/server-config.js';

/** LOG_LEVEL (Nest's names) as pino levels. */
const PINO_LEVEL: Record<LogLevel, Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Field paths pino blanks in every line: credentials a structured field could carry (a request's
 * headers, a connection string, a token). Secrets never reach a message (the `Secret` type), so
 * this is the second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-scope-orgid"]',
  '*.password',
  '*.token',
  '*.apiToken',
  '*.databaseUrl',
];

/**
 * Nest's logger interface over pino: one JSON object per line on stdout, with `context` (the
 * Nest class that logged) and, for errors, `stack`. Nest's own report of a failed start (the
 * error and its stack, context `ExceptionHandler`) is left out: serve says why in one line.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(level: LogLevel, destination?: DestinationStream) {
    const options = {
      level: PINO_LEVEL[level],
      base: { service: 'burnrate' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
    };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'ExceptionHandler') return;
    this.write('error', message, rest, true);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest, true);
  }

  setLogLevels(levels: NestLogLevel[]): void {
    const order: NestLogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
    const lowest = order.find((l) => levels.includes(l)) ?? 'log';
    this.pino.level = lowest === 'fatal' ? 'fatal' : PINO_LEVEL[lowest];
  }

  /** Nest calls `(message, context)` or, for errors, `(message, stack, context)`. */
  private write(level: Level, message: unknown, rest: unknown[], withStack = false): void {
    const parts = [...rest];
    const context =
      parts.length > 0 && typeof parts.at(-1) === 'string' ? (parts.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (withStack && typeof parts[0] === 'string' && parts[0].includes('\n')) fields.stack = parts.shift();
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
      return;
    }
    if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
      return;
    }
    this.pino[level](fields, String(message));
  }
}
