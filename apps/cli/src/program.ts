import { Command, CommanderError } from 'commander';
import { isBurnrateError, type ErrorKind } from '@burnrate/contracts';
import { CliError, EXIT } from './cli.exception.js';
import { costCommand } from './commands/cost.command.js';
import { reportCommand } from './commands/report.command.js';
import { generateCommand } from './commands/generate.command.js';
import { serveCommand } from './commands/serve.command.js';
import { validateCommand } from './commands/validate.command.js';
import { verifyCommand } from './commands/verify.command.js';
import type { Io } from './io.js';
import { readFileSync } from 'node:fs';

/** Every kind of library error is a failed run (1); usage mistakes (2) are commander's. */
const EXIT_BY_KIND: Record<ErrorKind, number> = {
  invalid: EXIT.invalid,
  'not-found': EXIT.invalid,
  conflict: EXIT.invalid,
  unauthorized: EXIT.invalid,
  upstream: EXIT.invalid,
  disabled: EXIT.invalid,
};

export function buildProgram(io: Io): Command {
  const program = new Command('burnrate')
    .description('Service metadata in Git -> SLO rules, Grafana dashboards, alert routing and cost reports.')
    .version(burnrateVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) })
    .exitOverride();
  for (const command of [
    validateCommand(io),
    generateCommand(io),
    verifyCommand(io),
    serveCommand(io),
    costCommand(io),
    reportCommand(io),
  ]) {
    // Nested commands (`cost import`) answer usage mistakes the same way: exit 2, output through io.
    for (const sub of [command, ...command.commands])
      sub.exitOverride().configureOutput(program.configureOutput());
    program.addCommand(command);
  }
  return program;
}

/** Runs one command line and returns its exit code; user mistakes never escape as stack traces. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const captured: Io = { ...io, exit: (c) => void (code = c) };
  try {
    await buildProgram(captured).parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr(`burnrate: ${error.message}`);
      return error.exitCode;
    }
    // A library's coded error is the user's input or an upstream failing: a message, never a stack.
    if (isBurnrateError(error)) {
      io.stderr(`burnrate: ${error.message}`);
      return EXIT_BY_KIND[error.kind];
    }
    throw error;
  }
}

/** The version of the package this CLI was built from: one source, package.json. */
function burnrateVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
