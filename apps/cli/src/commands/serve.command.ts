import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.exception.js';
import type { Io } from '../io.js';

/** The server's own entry point, built beside the CLI (`npm run build` builds both). */
const SERVER_MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));

/**
 * `burnrate serve` runs the server as `npm start` does, as a child process: the CLI never loads
 * the server's modules, and signals (SIGTERM, SIGINT) reach the server for a graceful shutdown.
 */
export function serveCommand(io: Io): Command {
  return new Command('serve')
    .description(
      'Run the server (as `npm start` does). Configured by the environment: PORT, DATABASE_URL, DATA_DIR, ...',
    )
    .action(async () => {
      if (!existsSync(SERVER_MAIN))
        throw new CliError(`the server is not built (${SERVER_MAIN}): run \`npm run build\``, EXIT.invalid);
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [SERVER_MAIN], { stdio: 'inherit', env: { ...io.env } });
        const forward = (signal: NodeJS.Signals) => child.kill(signal);
        process.on('SIGTERM', forward).on('SIGINT', forward);
        child.on('exit', (status, signal) => {
          process.off('SIGTERM', forward).off('SIGINT', forward);
          resolve(status ?? (signal ? 128 + 15 : 1));
        });
      });
      if (code !== 0) io.exit(code);
    });
}
