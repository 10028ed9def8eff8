import { writeFile } from 'node:fs/promises';

import { Command } from 'commander';
import {
  anomalyRulesFromEnv,
  buildWeeklyReports,
  isoWeekOf,
  parseIsoWeek,
  previousWeek,
  queueCostReports,
  renderReport,
  ReportConfigError,
  type ReportFormat,
} from '@burnrate/finops';
import { openDataSource } from '@burnrate/persistence';

import { CliError, EXIT } from '../cli.exception.js';
import type { Io } from '../io.js';
import { catalogFor, databaseFromEnv } from './cost.command.js';
import { plural } from './load.util.js';

interface CostReportOptions {
  team?: string;
  week?: string;
  format: string;
  send?: boolean;
  output?: string;
  catalog?: string[];
}

const FORMATS: readonly ReportFormat[] = ['md', 'html', 'json'];

function costReportCommand(io: Io): Command {
  return new Command('cost')
    .description(
      "A team's weekly cost report (ISO week, Monday to Sunday, UTC), or every team's sent to chat.",
    )
    .option('--team <team>', 'the team (required without --send)')
    .option('--week <week>', 'ISO week as YYYY-Www (default: last week)')
    .option('--format <format>', 'md, html or json', 'md')
    .option(
      '--send',
      "queue the week's report of every team (or --team) to its chat destinations that take cost reports",
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--catalog <path...>', 'the catalog (default CATALOG_PATH, else ./catalog if present)')
    .addHelpText(
      'after',
      '\nReads the cost rollups that `burnrate cost pull` and `cost import` write (DATABASE_URL, else PGlite\n' +
        'under DATA_DIR). Anomalies: COST_ANOMALY_WINDOW_DAYS, COST_ANOMALY_Z, COST_ANOMALY_WOW_PERCENT,\n' +
        'COST_ANOMALY_MIN_AMOUNT. --send queues through the delivery outbox once per team, week and\n' +
        'destination; the server sends it. Exit codes: 0 done, 1 invalid catalog, 2 usage.',
    )
    .action(async (opts: CostReportOptions) => {
      const format = opts.format as ReportFormat;
      if (!FORMATS.includes(format))
        throw new CliError(`--format ${opts.format}: must be md, html or json`, EXIT.usage);
      const week = opts.week ? parseIsoWeek(opts.week) : previousWeek(isoWeekOf(new Date()));
      if (!week) throw new CliError(`--week ${opts.week}: must be an ISO week such as 2026-W49`, EXIT.usage);
      if (!opts.send && !opts.team)
        throw new CliError('--team <team> is required (or --send for every team)', EXIT.usage);
      const catalog = await catalogFor(opts.catalog, io);
      if (!catalog) throw new CliError('no catalog: pass --catalog or set CATALOG_PATH', EXIT.usage);
      if (opts.team && !catalog.teams.some((t) => t.name === opts.team))
        throw new CliError(
          `--team ${opts.team}: not a team of the catalog (teams: ${catalog.teams.map((t) => t.name).join(', ') || 'none'})`,
          EXIT.usage,
        );
      let rules;
      try {
        rules = anomalyRulesFromEnv(io.env);
      } catch (error) {
        if (error instanceof ReportConfigError) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      const dataSource = await openDataSource(databaseFromEnv(io.env));
      try {
        const reports = await buildWeeklyReports(dataSource, catalog, week, {
          rules,
          ...(opts.team ? { teams: [opts.team] } : {}),
        });
        if (opts.send) {
          const sent = await queueCostReports(dataSource, catalog, reports);
          io.stdout(
            `queued ${week.week} cost reports of ${plural(reports.length, 'team')}: ${plural(sent.queued, 'new message')}, ` +
              `${sent.repeats} already queued, to ${plural(sent.destinations, 'destination')}`,
          );
          return;
        }
        const text = renderReport(reports[0]!, format);
        if (opts.output) await writeFile(opts.output, text);
        else io.stdout(text.replace(/\n$/, ''));
      } finally {
        await dataSource.destroy();
      }
    });
}

export function reportCommand(io: Io): Command {
  return new Command('report')
    .description('Reports: weekly cost per team.')
    .addCommand(costReportCommand(io));
}
