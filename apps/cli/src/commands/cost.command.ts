import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import { Command } from 'commander';
import { importFocusFiles } from '@burnrate/finops';
import { openDataSource, type DatabaseConfig } from '@burnrate/persistence';

import { CliError, EXIT } from '../cli.exception.js';
import type { Io } from '../io.js';
import { loadOrExplain, plural, printProblems } from './load.util.js';

interface ImportOptions {
  file: string[];
  catalog?: string[];
}

/** The server's database: `DATABASE_URL`, else the embedded PGlite under `DATA_DIR` (./.data). */
export function databaseFromEnv(env: Io['env'], cwd = process.cwd()): DatabaseConfig {
  const url = env['DATABASE_URL']?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new CliError(
        'DATABASE_URL: must be a URL like postgres://user:password@host:5432/database',
        EXIT.usage,
      );
    return { kind: 'postgres', url };
  }
  const dir = env['DATA_DIR']?.trim() || './.data';
  return { kind: 'pglite', dataDir: join(isAbsolute(dir) ? dir : resolve(cwd, dir), 'pglite') };
}

const count = (n: number): string => n.toLocaleString('en-US');

function importCommand(io: Io): Command {
  return new Command('import')
    .description('Import FOCUS 1.0-1.2 CSV files (plain or gzip) into the cost table, in one transaction.')
    .requiredOption('--file <paths...>', 'FOCUS CSV files (.csv or .csv.gz)')
    .option(
      '--catalog <path...>',
      'catalog whose teams allocate the costs (default CATALOG_PATH, else ./catalog if present)',
    )
    .addHelpText(
      'after',
      '\nA broken row refuses the whole import (file:line: column: what is wrong) and nothing is written.\n' +
        'Importing the same days again replaces them. Database: DATABASE_URL, else PGlite under DATA_DIR.\n' +
        'Exit codes: 0 imported, 1 invalid file or catalog, 2 usage.',
    )
    .action(async (opts: ImportOptions) => {
      for (const file of opts.file)
        if (!existsSync(file)) throw new CliError(`${file}: no such file`, EXIT.invalid);
      const catalogPaths =
        opts.catalog ??
        (io.env['CATALOG_PATH']
          ? io.env['CATALOG_PATH'].split(',')
          : existsSync('catalog')
            ? ['catalog']
            : []);
      let catalog;
      if (catalogPaths.length > 0) {
        const loaded = await loadOrExplain(catalogPaths, false);
        if (loaded.errors > 0) {
          printProblems(loaded.problems, io.stderr);
          throw new CliError(
            `the catalog has ${plural(loaded.errors, 'error')}: costs are not allocated from it`,
            EXIT.invalid,
          );
        }
        catalog = loaded.catalog;
      }
      const tty = process.stderr.isTTY;
      let shown = 0;
      const dataSource = await openDataSource(databaseFromEnv(io.env));
      try {
        const summary = await importFocusFiles(dataSource, opts.file, {
          ...(catalog ? { catalog } : {}),
          progress: (rows) => {
            if (!tty || rows - shown < 50_000) return;
            shown = rows;
            process.stderr.write(`\rimporting: ${count(rows)} rows read`);
          },
        });
        if (tty && shown > 0) process.stderr.write('\r\x1b[K');
        const totals = Object.entries(summary.totals).map(([currency, total]) => `${currency} ${total}`);
        io.stdout(
          `imported ${plural(summary.files, 'file')}: ${count(summary.rows)} rows, ${plural(summary.days, 'day')}, ` +
            `${count(summary.lines)} cost lines; billed ${totals.join(', ') || 'nothing'}`,
        );
      } finally {
        if (tty && shown > 0) process.stderr.write('\r\x1b[K');
        await dataSource.destroy();
      }
    });
}

export function costCommand(io: Io): Command {
  return new Command('cost')
    .description('Cloud cost data: import FOCUS files.')
    .addCommand(importCommand(io));
}
