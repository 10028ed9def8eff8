import 'reflect-metadata';

import { ConsoleLogger, type LoggerService, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { startTracing, type StopTracing } from '@burnrate/telemetry';

import { AppModule } from './app.module.js';
import { burnrateVersion } from './build-info.js';
import {
  IN_MEMORY_DATA_DIR,
  ServerConfigError,
  loadServerConfig,
  type Environment,
  type LogLevel,
  type ServerConfig,
} from './config/server-config.js';
import { describeStartup } from './config/startup-summary.js';
import { assertPortFree, listenFailure } from './listen-port.util.js';
import { JsonLogger } from './logging/json-logger.js';
import { setupOpenApi } from './openapi.js';

export { IN_MEMORY_DATA_DIR, ServerConfigError, loadServerConfig, type Environment, type ServerConfig };

const LEVELS_BY_VERBOSITY: readonly NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface ServerOptions {
  /** Nest log levels or logger; defaults to the configured LOG_LEVEL and everything more severe. */
  readonly logger?: NestLogLevel[] | LoggerService | false;
}

/**
 * Builds the server (database connected, migrations applied) without listening: tests call
 * `listen(0)`, `startServer` listens on the configured port.
 */
export async function createServer(
  config: ServerConfig,
  options: ServerOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger ?? levelsUpTo(config.logLevel),
    // Errors reach the caller (CLI, main) instead of Nest exiting the process on its own.
    abortOnError: false,
  });
  // Alert notifications may be large (many alerts in a group): 1 MiB, then 413.
  app.useBodyParser('json', { limit: '1mb' });
  setupOpenApi(app, burnrateVersion());
  return app;
}

export async function startServer(
  config: ServerConfig,
  options: ServerOptions = {},
): Promise<NestExpressApplication> {
  const app = await createServer(config, options);
  try {
    await app.listen(config.port);
  } catch (error) {
    // An app that cannot listen still holds the database (and an embedded folder's lock):
    // close it, so the process exits instead of hanging on its open handles.
    await app.close();
    throw listenFailure(error, config.port);
  }
  return app;
}

export interface ServeIo {
  readonly stderr: (line: string) => void;
}

/**
 * `npm start` and `burnrate serve`: reads the environment, starts the server and resolves with
 * 0 once it listens, or with 1 after printing why it cannot start (no stack for bad input).
 */
export async function serve(env: Environment, io: ServeIo): Promise<number> {
  let config: ServerConfig;
  try {
    config = loadServerConfig(env);
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    io.stderr(`burnrate: ${error.message}`);
    return 1;
  }
  for (const line of describeStartup(config)) io.stderr(`burnrate: ${line}`);
  const stopTracing = startTracing(env, { name: 'burnrate', version: burnrateVersion() });
  if (stopTracing) io.stderr('burnrate: tracing: spans exported over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)');
  try {
    // Before seconds of boot (migrations, an embedded database) would end in the same error.
    await assertPortFree(config.port);
    const logger =
      config.logFormat === 'json'
        ? new JsonLogger(config.logLevel)
        : new StartupLogger({ logLevels: levelsUpTo(config.logLevel), timestamp: true });
    const app = await startServer(config, { logger });
    io.stderr(`burnrate: listening on port ${config.port} (OpenAPI at /docs)`);
    stopOnSignals(app, io, stopTracing);
  } catch (error) {
    io.stderr(`burnrate: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  return 0;
}

/**
 * SIGTERM or SIGINT: the app closes (the refresh in flight is abandoned, its queries aborted,
 * nothing half written; connections closed; an embedded PGlite flushes its folder) and the
 * process exits 0. A second signal while closing exits at once.
 */
function stopOnSignals(app: NestExpressApplication, io: ServeIo, stopTracing?: StopTracing): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    io.stderr(`burnrate: ${signal}: shutting down`);
    app
      .close()
      .then(() => stopTracing?.())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          io.stderr(`burnrate: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * Nest's console logger (LOG_FORMAT=text) without its own report of a failed start (the error and its stack):
 * serve says why it cannot start, in one line.
 */
class StartupLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

function levelsUpTo(level: LogLevel): NestLogLevel[] {
  return LEVELS_BY_VERBOSITY.slice(0, LEVELS_BY_VERBOSITY.indexOf(level) + 1);
}
