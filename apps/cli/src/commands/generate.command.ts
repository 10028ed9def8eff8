import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { DatasourceUids } from '@burnrate/dashboards';
import { DEFAULT_PIPELINE_OPTIONS, generateArtifacts } from '@burnrate/pipeline';
import type { RuleForm } from '@burnrate/rules';
import { CliError, EXIT } from '../cli.exception.js';
import { diffArtifacts, hasDrift, MANIFEST, writeArtifacts } from '../output/artifact-writer.js';
import type { Io } from '../io.js';
import { loadOrExplain, plural, printProblems } from './load.util.js';

interface GenerateOptions {
  catalog: string[];
  out: string;
  check: boolean;
  strict: boolean;
  grafanaUrl: string;
  promtoolTests: boolean;
  rulesForm: RuleForm;
  datasource: string[];
}

const DATASOURCE_KINDS = ['prometheus', 'loki', 'tempo', 'postgres'] as const;

/** `--datasource tempo=my-tempo` pairs into data source uids; a bad pair is a usage error. */
function datasourceUids(pairs: string[]): Partial<DatasourceUids> {
  const uids: Partial<DatasourceUids> = {};
  for (const pair of pairs) {
    const [kind, uid] = pair.split('=', 2) as [string, string | undefined];
    if (!(DATASOURCE_KINDS as readonly string[]).includes(kind) || !uid) {
      throw new CliError(
        `--datasource ${pair}: use <kind>=<uid> with kind one of ${DATASOURCE_KINDS.join(', ')}`,
        EXIT.usage,
      );
    }
    uids[kind as keyof DatasourceUids] = uid;
  }
  return uids;
}

export function generateCommand(io: Io): Command {
  return new Command('generate')
    .description(
      [
        'Generate Prometheus and Loki rules and Grafana dashboards from the catalog.',
        '',
        'Writes in place: the output folders are kept (a Prometheus or Grafana bind-mounting them',
        'sees the new files), each changed file is replaced atomically, unchanged files are not',
        `rewritten, and only files generated before (listed in <out>/${MANIFEST}) are removed;`,
        'hand-written files beside them are never touched. Nothing is written when the catalog is invalid.',
      ].join('\n'),
    )
    .requiredOption('--catalog <path...>', 'catalog files or folders')
    .requiredOption(
      '--out <dir>',
      'output root: writes <out>/rules/prometheus, <out>/rules/loki, <out>/dashboards',
    )
    .option(
      '--check',
      'write nothing; exit 1 when the files on disk differ from what generation gives',
      false,
    )
    .option('--strict', 'treat warnings as errors', false)
    .option(
      '--grafana-url <url>',
      'Grafana base URL used in alert and dashboard links',
      DEFAULT_PIPELINE_OPTIONS.grafanaUrl,
    )
    .option('--no-promtool-tests', 'do not write promtool unit tests next to the rules')
    .addOption(
      new Option(
        '--rules-form <form>',
        'plain rule files, Kubernetes PrometheusRule, or Mimir/Loki ruler namespace files',
      )
        .choices(['plain', 'prometheus-rule', 'ruler'])
        .default('plain'),
    )
    .option(
      '--datasource <kind=uid...>',
      'Grafana data source uids (prometheus, loki, tempo, postgres); defaults: the kind, and burnrate-postgres',
      [],
    )
    .action(async (opts: GenerateOptions) => {
      const datasources = datasourceUids(opts.datasource);
      const { catalog, problems, errors } = await loadOrExplain(opts.catalog, opts.strict);
      printProblems(problems, io.stderr);
      if (errors > 0) {
        io.stderr(`invalid catalog: ${plural(errors, 'error')}; nothing written`);
        return io.exit(EXIT.invalid);
      }
      const files = generateArtifacts(catalog, { ...opts, datasources });
      const out = resolve(opts.out);
      if (opts.check) {
        const drift = await diffArtifacts(out, files);
        if (!hasDrift(drift)) {
          io.stderr(`up to date: ${plural(files.length, 'file')}`);
          return io.exit(EXIT.ok);
        }
        for (const path of drift.missing) io.stderr(`missing: ${path}`);
        for (const path of drift.changed) io.stderr(`changed: ${path}`);
        for (const path of drift.stale) io.stderr(`stale:   ${path}`);
        io.stderr('generated files drifted from the catalog; run `burnrate generate` and commit the result');
        return io.exit(EXIT.invalid);
      }
      const written = await writeArtifacts(out, files);
      io.stderr(
        `wrote ${plural(written.written, 'file')} under ${opts.out} (${written.unchanged} unchanged, ${written.removed} removed)`,
      );
      io.exit(EXIT.ok);
    });
}
