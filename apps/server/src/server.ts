import 'reflect-metadata';

import type { LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { AppModule } from './app.module.js';
import { burnrateVersion } from './build-info.js';
import {
  IN_MEMORY_DATA_DIR,
  ServerConfigError,
  describeServerConfig,
  loadServerConfig,
  type Environment,
  type LogLevel,
  type ServerConfig,
} from './config/server-config.js';
import { setupOpenApi } from './openapi.js';

export { IN_MEMORY_DATA_DIR, ServerConfigError, loadServerConfig, type Environment, type ServerConfig };

const LEVELS_BY_VERBOSITY: readonly NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface ServerOptions {
  /** Nest log levels; defaults to the configured LOG_LEVEL and everything more severe. */
  readonly logger?: NestLogLevel[] | false;
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
  setupOpenApi(app, burnrateVersion());
  return app;
}

export async function startServer(
  config: ServerConfig,
  options: ServerOptions = {},
): Promise<NestExpressApplication> {
  const app = await createServer(config, options);
  // Close the database cleanly on SIGTERM/SIGINT: an embedded PGlite must flush its data directory.
  app.enableShutdownHooks();
  await app.listen(config.port);
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
  io.stderr(`burnrate: starting (${describeServerConfig(config)})`);
  try {
    await startServer(config);
    io.stderr(`burnrate: listening on port ${config.port} (OpenAPI at /docs)`);
  } catch (error) {
    io.stderr(`burnrate: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  return 0;
}

function levelsUpTo(level: LogLevel): NestLogLevel[] {
  return LEVELS_BY_VERBOSITY.slice(0, LEVELS_BY_VERBOSITY.indexOf(level) + 1);
}
