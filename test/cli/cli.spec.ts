import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../apps/cli/src/program.js';

const root = resolve(import.meta.dirname, '../..');
const badDir = join(root, 'test/catalog/bad');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (l: string) => out.push(l),
    stderr: (l: string) => err.push(l),
    exit: () => {},
    env: {},
  };
  const code = await run(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('burnrate validate', () => {
  it('accepts the example catalog', async () => {
    const result = await cli('validate', join(root, 'catalog'));
    expect(result.stderr).toMatch(/^ok: 4 teams/m);
    expect(result.code).toBe(0);
  });

  it('rejects every file of the bad-input corpus with exit 1 and a file:line:col message', async () => {
    const files = (await readdir(badDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const file of files) {
      const path = relative(root, join(badDir, file));
      const result = await cli('validate', path);
      expect(result.code, file).toBe(1);
      expect(result.stderr, file).toMatch(new RegExp(`^${escape(path)}:\\d+:\\d+: `, 'm'));
      expect(result.stderr, file).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    }
  });

  it('prints machine-readable problems with --format json', async () => {
    const result = await cli('validate', '--format', 'json', badDir);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      problems: { file: string; line: number }[];
    };
    expect(result.code).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.problems.length).toBeGreaterThanOrEqual(40);
    expect(report.problems[0]).toHaveProperty('line');
  });

  it('answers usage mistakes with exit 2', async () => {
    expect((await cli('validate')).code).toBe(2);
    expect((await cli('validate', '--format', 'xml', 'catalog')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('prints help with exit 0', async () => {
    const result = await cli('validate', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: burnrate validate');
  });
});

describe('burnrate generate', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'burnrate-cli-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes rules and dashboards, then --check finds no drift', async () => {
    const written = await cli('generate', '--catalog', join(root, 'catalog'), '--out', out);
    expect(written.code).toBe(0);
    expect((await readdir(join(out, 'rules/prometheus'), { recursive: true })).length).toBeGreaterThan(0);
    expect((await readdir(join(out, 'dashboards'), { recursive: true })).length).toBeGreaterThan(0);
    const check = await cli('generate', '--catalog', join(root, 'catalog'), '--out', out, '--check');
    expect(check.stderr).toMatch(/^up to date/m);
    expect(check.code).toBe(0);
  });

  it('--check reports changed and stale files (generated before, no longer) and writes nothing', async () => {
    const [first] = (await readdir(join(out, 'dashboards'), { recursive: true })).filter((f) =>
      f.endsWith('.json'),
    );
    const changedPath = join(out, 'dashboards', first!);
    await writeFile(changedPath, '{}\n');
    await mkdir(join(out, 'rules/loki'), { recursive: true });
    await writeFile(join(out, 'rules/loki/leftover.yaml'), 'groups: []\n');
    // A file an earlier run generated: the manifest names it.
    const manifestPath = join(out, '.burnrate-manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: Record<string, string> };
    manifest.files['rules/loki/leftover.yaml'] = 'x';
    await writeFile(manifestPath, JSON.stringify(manifest));
    const check = await cli('generate', '--catalog', join(root, 'catalog'), '--out', out, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`changed: dashboards/${first}`);
    expect(check.stderr).toContain('stale:   rules/loki/leftover.yaml');
    expect(await readFile(changedPath, 'utf8')).toBe('{}\n');
  });

  it('regenerating replaces changed files and removes stale ones', async () => {
    expect((await cli('generate', '--catalog', join(root, 'catalog'), '--out', out)).code).toBe(0);
    expect(await readdir(join(out, 'rules/loki'))).not.toContain('leftover.yaml');
    const check = await cli('generate', '--catalog', join(root, 'catalog'), '--out', out, '--check');
    expect(check.code).toBe(0);
  });

  it('writes nothing when the catalog is invalid', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'burnrate-cli-invalid-'));
    try {
      const result = await cli('generate', '--catalog', badDir, '--out', empty);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('nothing written');
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('burnrate generate options', () => {
  it('writes Kubernetes PrometheusRule objects and points dashboards at the given data sources', async () => {
    const out = await mkdtemp(join(tmpdir(), 'burnrate-cli-forms-'));
    try {
      const result = await cli(
        'generate',
        '--catalog',
        join(root, 'catalog'),
        '--out',
        out,
        '--rules-form',
        'prometheus-rule',
        '--datasource',
        'tempo=traces-eu',
        'loki=logs-eu',
      );
      expect(result.code).toBe(0);
      expect(await readFile(join(out, 'rules/prometheus/payments/checkout-api.yaml'), 'utf8')).toContain(
        'kind: PrometheusRule',
      );
      const board = await readFile(join(out, 'dashboards/payments/services/checkout-api.json'), 'utf8');
      expect(board).toContain('"value": "traces-eu"');
      expect(board).toContain('"value": "logs-eu"');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('refuses an unknown rule form or a malformed data source with exit 2', async () => {
    expect(
      (await cli('generate', '--catalog', 'catalog', '--out', 'x', '--rules-form', 'jsonnet')).code,
    ).toBe(2);
    const bad = await cli('generate', '--catalog', 'catalog', '--out', 'x', '--datasource', 'graphite=g');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use <kind>=<uid>');
  });
});

describe('./bin/burnrate', () => {
  const exec = promisify(execFile);
  const bin = join(root, 'bin/burnrate');

  it('runs from the repository root on Node 24 and exits 0 on the example catalog', async () => {
    const { stderr } = await exec(bin, ['validate', 'catalog'], { cwd: root });
    expect(stderr).toMatch(/^ok:/m);
  });

  it('exits 1 on bad input and 2 on usage errors', async () => {
    await expect(exec(bin, ['validate', join(badDir, readdirFirst())], { cwd: root })).rejects.toMatchObject({
      code: 1,
    });
    await expect(exec(bin, ['validate'], { cwd: root })).rejects.toMatchObject({ code: 2 });
  });
});

function readdirFirst(): string {
  return readdirSync(badDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()[0]!;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
