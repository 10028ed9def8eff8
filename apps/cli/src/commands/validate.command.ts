import { Command, Option } from 'commander';
import { EXIT } from '../cli.exception.js';
import { loadOrExplain, plural, printProblems } from './load.util.js';
import type { Io } from '../io.js';

export function validateCommand(io: Io): Command {
  return new Command('validate')
    .description('Check catalog files (native, Sloth, OpenSLO, Backstage) and report every problem.')
    .argument('<path...>', 'catalog files or folders (read recursively)')
    .option('--strict', 'treat warnings (such as undeclared teams) as errors', false)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], opts: { strict: boolean; format: 'text' | 'json' }) => {
      const { catalog, problems, errors, warnings } = await loadOrExplain(paths, opts.strict);
      if (opts.format === 'json') {
        io.stdout(JSON.stringify({ valid: errors === 0, errors, warnings, problems }, null, 2));
      } else {
        printProblems(problems, io.stderr);
        const slos = catalog.services.reduce((n, s) => n + s.slos.length, 0);
        const summary =
          errors === 0
            ? `ok: ${plural(catalog.teams.length, 'team')}, ${plural(catalog.services.length, 'service')}, ${plural(slos, 'SLO')}`
            : `invalid: ${plural(errors, 'error')}`;
        io.stderr(warnings > 0 ? `${summary}, ${plural(warnings, 'warning')}` : summary);
      }
      io.exit(errors === 0 ? EXIT.ok : EXIT.invalid);
    });
}
