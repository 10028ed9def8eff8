import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import { Command } from 'commander';
import type { Catalog } from '@burnrate/catalog';
import { importFocusFiles, ProviderResponseError, pullCosts, PullConfigError } from '@burnrate/finops';
import { openDataSource, type DatabaseConfig } from '@burnrate/persistence';

import { CliError, EXIT } from '../cli.exception.js';
import type { Io } from '../io.js';
import { bytes, ProgressBar } from '../progress.js';
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

/** The catalog that allocates costs: `--catalog`, else `CATALOG_PATH`, else ./catalog if present. */
export async function catalogFor(paths: string[] | undefined, io: Io): Promise<Catalog | undefined> {
  const catalogPaths =
    paths ??
    (io.env['CATALOG_PATH'] ? io.env['CATALOG_PATH'].split(',') : existsSync('catalog') ? ['catalog'] : []);
  if (catalogPaths.length === 0) return undefined;
  const loaded = await loadOrExplain(catalogPaths, false);
  if (loaded.errors > 0) {
    printProblems(loaded.problems, io.stderr);
    throw new CliError(
      `the catalog has ${plural(loaded.errors, 'error')}: costs are not allocated from it`,
      EXIT.invalid,
    );
  }
  return loaded.catalog;
}

const totalsText = (totals: Record<string, string>): string =>
  Object.entries(totals)
    .map(([currency, total]) => `${currency} ${total}`)
    .join(', ') || 'nothing';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
function day(option: string, value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new CliError(`${option} ${value}: must be a day as YYYY-MM-DD`, EXIT.usage);
  return value;
}

interface PullOptions {
  provider: string;
  from: string;
  to: string;
  catalog?: string[];
}

function pullCommand(io: Io): Command {
  return new Command('pull')
    .description('Pull daily costs from AWS Cost Explorer or Azure Cost Management, both days included.')
    .requiredOption('--provider <provider>', 'aws or azure')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD (UTC)')
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD (UTC), included')
    .option(
      '--catalog <path...>',
      'catalog whose teams allocate the costs (default CATALOG_PATH, else ./catalog if present)',
    )
    .addHelpText(
      'after',
      '\nAWS: credentials from the SDK default chain; AWS_ENDPOINT_URL_COST_EXPLORER redirects the client.\n' +
        'Azure: AZURE_COST_SCOPES (comma-separated), AZURE_COST_ENDPOINT, AZURE_COST_TOKEN else the default\n' +
        'credential chain. COST_TEAM_TAG names the team tag (default team); AWS_COST_BILLING_ACCOUNT the\n' +
        'payer the AWS lines are stored under (default aws). Every page is fetched before\n' +
        'anything is written; the days are then replaced in one transaction (pulling again changes nothing).\n' +
        'Exit codes: 0 pulled, 1 the provider or catalog refused, 2 usage.',
    )
    .action(async (opts: PullOptions) => {
      if (opts.provider !== 'aws' && opts.provider !== 'azure')
        throw new CliError(`--provider ${opts.provider}: must be aws or azure`, EXIT.usage);
      const from = day('--from', opts.from);
      const to = day('--to', opts.to);
      if (from > to) throw new CliError(`--from ${from} is after --to ${to}`, EXIT.usage);
      const catalog = await catalogFor(opts.catalog, io);
      const bar = new ProgressBar(`pulling ${opts.provider}`);
      const dataSource = await openDataSource(databaseFromEnv(io.env));
      try {
        const summary = await pullCosts(dataSource, {
          progress: (p) =>
            bar.show(
              `${plural(p.requests, 'page')}, ${count(p.rows)} rows` +
                (p.waitMs ? `; throttled, waiting ${Math.ceil(p.waitMs / 1000)} s` : ''),
              p.waitMs !== undefined,
            ),
          provider: opts.provider,
          from,
          to,
          env: io.env,
          ...(catalog ? { catalog } : {}),
        }).catch((error: unknown) => {
          throw providerFailure(opts.provider, error);
        });
        bar.clear();
        const estimated =
          summary.estimatedDays > 0 ? ` (${plural(summary.estimatedDays, 'day')} still estimated)` : '';
        io.stdout(
          `pulled ${opts.provider} ${from}..${to}: ${count(summary.rows)} rows in ${plural(summary.requests, 'request')}, ` +
            `${plural(summary.days, 'day')}${estimated}, ${count(summary.lines)} cost lines; billed ${totalsText(summary.totals)}`,
        );
      } finally {
        bar.clear();
        await dataSource.destroy();
      }
    });
}

/** What the provider said, in one line: a refused credential or a throttled API is not a crash. */
function providerFailure(provider: string, error: unknown): CliError {
  if (error instanceof PullConfigError) return new CliError(error.message, EXIT.usage);
  if (error instanceof ProviderResponseError)
    return new CliError(`${error.message}; nothing was written`, EXIT.invalid);
  const e = error as {
    name?: string;
    message?: string;
    statusCode?: number;
    $metadata?: { httpStatusCode?: number };
  };
  const api = provider === 'aws' ? 'Cost Explorer' : 'Cost Management';
  const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  const status = e.$metadata?.httpStatusCode ?? e.statusCode;
  return new CliError(
    `${api}: ${name}${e.message ?? String(error)}${status ? ` (HTTP ${status})` : ''}; nothing was written`,
    EXIT.invalid,
  );
}

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
      const catalog = await catalogFor(opts.catalog, io);
      const bar = new ProgressBar('importing');
      const dataSource = await openDataSource(databaseFromEnv(io.env));
      try {
        const summary = await importFocusFiles(dataSource, opts.file, {
          ...(catalog ? { catalog } : {}),
          progress: (read) => bar.update(read.bytes, read.totalBytes, bytes),
        });
        bar.clear();
        io.stdout(
          `imported ${plural(summary.files, 'file')}: ${count(summary.rows)} rows, ${plural(summary.days, 'day')}, ` +
            `${count(summary.lines)} cost lines; billed ${totalsText(summary.totals)}`,
        );
      } finally {
        bar.clear();
        await dataSource.destroy();
      }
    });
}

export function costCommand(io: Io): Command {
  return new Command('cost')
    .description('Cloud cost data: pull from AWS or Azure, import FOCUS files.')
    .addCommand(pullCommand(io))
    .addCommand(importCommand(io));
}
