import { Command, Option } from 'commander';
import { formatDuration, parseDuration } from '@burnrate/slo';
import { PrometheusClient, type SloVerification, verifySeries } from '@burnrate/status';
import { CliError, EXIT } from '../cli.exception.js';
import type { Io } from '../io.js';
import { loadOrExplain, plural, printProblems } from './load.util.js';

interface VerifyCommandOptions {
  prometheus: string;
  catalog: string[];
  header: string[];
  lookback: string;
  format: 'text' | 'json';
}

/** `X-Scope-OrgID: tenant` pairs into headers; anything else is a usage error. */
function parseHeaders(pairs: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(pair);
    if (!match) throw new CliError(`--header ${pair}: use 'Name: value'`, EXIT.usage);
    headers[match[1]!] = match[2]!;
  }
  return headers;
}

function parseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new CliError(`--prometheus ${url}: not an http(s) URL`, EXIT.usage);
}

function parseLookback(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new CliError(`--lookback ${text}: use a duration such as 1h or 30m`, EXIT.usage);
  }
}

const where = (r: SloVerification): string =>
  `${r.source.file}:${r.source.line}:${r.source.column}: ${r.service}/${r.slo}`;

export function verifyCommand(io: Io): Command {
  return new Command('verify')
    .description(
      'Ask a live Prometheus whether each SLO reads series that exist; list every SLO that could never alert.',
    )
    .requiredOption('--prometheus <url>', 'Prometheus (or Mimir/Thanos query) base URL')
    .option('--catalog <path...>', 'catalog files or folders', ['catalog'])
    .option(
      '--header <header>',
      "header sent to Prometheus, e.g. 'X-Scope-OrgID: team-a' (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--lookback <duration>', 'how far back a series counts as existing', '1h')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nThe bearer token, if any, is read from PROMETHEUS_BEARER_TOKEN.\nExit codes: 0 every SLO can alert, 1 some SLO could never alert (or Prometheus failed), 2 usage.',
    )
    .action(async (opts: VerifyCommandOptions) => {
      const baseUrl = parseUrl(opts.prometheus);
      const headers = parseHeaders(opts.header);
      const lookbackSeconds = parseLookback(opts.lookback);
      const token = io.env.PROMETHEUS_BEARER_TOKEN;
      if (token) headers.Authorization = `Bearer ${token}`;

      const { catalog, problems, errors } = await loadOrExplain(opts.catalog, false);
      if (errors > 0) {
        printProblems(problems, io.stderr);
        io.stderr(`invalid catalog: ${plural(errors, 'error')}; nothing verified`);
        return io.exit(EXIT.invalid);
      }
      const client = new PrometheusClient({ baseUrl, headers, fetch: (url, init) => fetch(url, init) });
      // An unreachable or refusing Prometheus is a coded error: the program prints it, exit 1.
      const results: SloVerification[] = await verifySeries(catalog, client, { lookbackSeconds });
      const failing = results.filter((r) => r.outcome === 'never-alerts');
      if (opts.format === 'json') {
        io.stdout(
          JSON.stringify(
            {
              prometheus: baseUrl,
              lookback: formatDuration(lookbackSeconds),
              ok: failing.length === 0,
              slos: results,
            },
            null,
            2,
          ),
        );
      } else {
        for (const r of results) {
          if (r.outcome === 'never-alerts')
            io.stderr(`${where(r)}: could never alert: ${r.problems.join('; ')}`);
          for (const note of r.notes) io.stderr(`${where(r)}: note: ${note}`);
        }
        const count = (outcome: SloVerification['outcome']) =>
          results.filter((r) => r.outcome === outcome).length;
        const skipped = count('skipped');
        io.stderr(
          `${failing.length === 0 ? 'ok' : 'failed'}: ${plural(results.length, 'SLO')} checked against ${baseUrl} over ${formatDuration(lookbackSeconds)}: ` +
            `${count('ok')} can alert, ${failing.length} could never alert${skipped > 0 ? `, ${skipped} skipped (logs SLIs or no series)` : ''}`,
        );
      }
      io.exit(failing.length === 0 ? EXIT.ok : EXIT.invalid);
    });
}
