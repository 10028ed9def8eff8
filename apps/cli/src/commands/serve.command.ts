import { Command } from 'commander';
import { serve } from '@burnrate/server';
import type { Io } from '../io.js';

export function serveCommand(io: Io): Command {
  return new Command('serve')
    .description(
      'Run the server (as `npm start` does). Configured by the environment: PORT, DATABASE_URL, DATA_DIR, ...',
    )
    .action(async () => {
      const code = await serve(io.env, { stderr: io.stderr });
      if (code !== 0) io.exit(code);
    });
}
