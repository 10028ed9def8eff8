import { cp, mkdtemp, open, readFile, readdir, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../apps/cli/src/program.js';

// A Grafana or Prometheus bind-mounts the output folders: it holds their inodes, not their names.
const root = resolve(import.meta.dirname, '../..');
const OUTPUT_DIRS = ['rules/prometheus', 'rules/loki', 'dashboards', 'dashboards/payments/services'];
const REMOVED = [
  'rules/prometheus/payments/order-worker.yaml',
  'rules/prometheus/payments/order-worker.test.yaml',
  'rules/loki/payments/order-worker.yaml',
  'dashboards/payments/services/order-worker.json',
];
const HAND_WRITTEN = {
  'rules/prometheus/payments/hand-written.yaml': 'groups: []\n',
  'dashboards/payments/services/hand-made.json': '{"title": "Made by hand", "tags": ["payments"]}\n',
  'dashboards/notes.txt': 'kept beside the generated files\n',
};
const LONG_AGO = new Date('2001-02-03T04:05:06Z');

async function cli(...argv: string[]) {
  const err: string[] = [];
  const io = { stdout: () => {}, stderr: (l: string) => err.push(l), exit: () => {}, env: {} };
  const code = await run(argv, io);
  return { code, stderr: err.join('\n') };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('burnrate generate, in place', () => {
  let work: string;
  let catalog: string;
  let out: string;
  const handles: FileHandle[] = [];

  const generate = (...extra: string[]) => cli('generate', '--catalog', catalog, '--out', out, ...extra);

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'burnrate-in-place-'));
    catalog = join(work, 'catalog');
    out = join(work, 'out');
    await cp(join(root, 'catalog'), catalog, { recursive: true });
    expect((await generate()).code).toBe(0);
  });

  afterEach(async () => {
    for (const handle of handles.splice(0)) await handle.close();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps the folders a mount holds, hand-written files and unchanged files, and removes a removed service', async () => {
    const folders = new Map<string, { ino: number; handle: FileHandle }>();
    for (const dir of OUTPUT_DIRS) {
      const handle = await open(join(out, dir), 'r');
      handles.push(handle);
      folders.set(dir, { ino: (await handle.stat()).ino, handle });
    }
    for (const [path, text] of Object.entries(HAND_WRITTEN)) await writeFile(join(out, path), text);
    const before = new Map<string, string>();
    for (const path of await filesUnder(out)) {
      before.set(path, await readFile(join(out, path), 'utf8'));
      await utimes(join(out, path), LONG_AGO, LONG_AGO);
    }
    // A reader that opened a file that is about to change, as Prometheus does while it loads rules.
    const changing = 'rules/prometheus/payments/checkout-api.yaml';
    const oldText = await readFile(join(out, changing), 'utf8');
    const reader = await open(join(out, changing), 'r');
    handles.push(reader);

    await unlink(join(catalog, 'payments/order-worker.yaml'));
    const source = join(catalog, 'payments/checkout-api.yaml');
    await writeFile(
      source,
      (await readFile(source, 'utf8')).replace('objective: 99.9\n', 'objective: 99.95\n'),
    );
    const result = await generate();

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/ 4 removed\)/);
    for (const [dir, { ino, handle }] of folders) {
      expect((await stat(join(out, dir))).ino, dir).toBe(ino);
      expect((await handle.stat()).nlink, `${dir} is still linked`).toBeGreaterThan(0);
      // What the mount shows: the held folder itself lists the new state.
      expect(await readdir(`/proc/self/fd/${handle.fd}`), dir).toEqual(await readdir(join(out, dir)));
    }
    const after = await filesUnder(out);
    for (const path of REMOVED) expect(after, path).not.toContain(path);
    for (const [path, text] of Object.entries(HAND_WRITTEN))
      expect(await readFile(join(out, path), 'utf8')).toBe(text);
    const newText = await readFile(join(out, changing), 'utf8');
    expect(newText).not.toBe(oldText);
    expect(newText).toContain('0.9995');
    expect(await reader.readFile('utf8')).toBe(oldText);

    let untouched = 0;
    for (const path of after.filter((p) => before.has(p))) {
      const rewritten = (await stat(join(out, path))).mtime.getTime() !== LONG_AGO.getTime();
      const same = (await readFile(join(out, path), 'utf8')) === before.get(path);
      // A file whose content is already right is not written at all.
      expect(rewritten, path).toBe(!same);
      if (same) untouched += 1;
    }
    expect(untouched).toBeGreaterThan(30);
    expect(await generate('--check')).toMatchObject({ code: 0 });
    expect(after.some((p) => p.endsWith('.tmp'))).toBe(false);
  });

  it('writes no file and changes nothing when a write fails half-way', async () => {
    const before = new Map<string, string>();
    for (const path of await filesUnder(out)) before.set(path, await readFile(join(out, path), 'utf8'));
    // A file where generation needs a folder: the rules sorted before it are staged first.
    await rm(join(out, 'rules/prometheus/storefront'), { recursive: true });
    await writeFile(join(out, 'rules/prometheus/storefront'), 'in the way\n');
    before.set('rules/prometheus/storefront', 'in the way\n');
    for (const path of [...before.keys()])
      if (path.startsWith('rules/prometheus/storefront/')) before.delete(path);

    const result = await generate('--grafana-url', 'https://grafana.example.org');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^burnrate: cannot write .*rules\/prometheus\/storefront.*: nothing was changed$/m,
    );
    const now = await filesUnder(out);
    expect(now).toEqual([...before.keys()].sort());
    for (const path of now) expect(await readFile(join(out, path), 'utf8'), path).toBe(before.get(path));
  });

  it('on a first run without a manifest, removes only stale files that carry the generated header', async () => {
    await unlink(join(out, '.burnrate-manifest.json'));
    const generatedYaml = await readFile(join(out, 'rules/prometheus/payments/order-worker.yaml'), 'utf8');
    const oldDashboard = await readFile(join(out, 'dashboards/payments/services/order-worker.json'), 'utf8');
    await writeFile(join(out, 'rules/prometheus/payments/retired.yaml'), generatedYaml);
    await writeFile(join(out, 'dashboards/payments/services/retired.json'), oldDashboard);
    await writeFile(join(out, 'rules/prometheus/payments/hand-written.yaml'), 'groups: []\n');

    const check = await generate('--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('stale:   rules/prometheus/payments/retired.yaml');
    expect(check.stderr).toContain('missing: .burnrate-manifest.json');
    expect(check.stderr).not.toContain('hand-written');

    const result = await generate();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('kept: dashboards/payments/services/retired.json');
    const files = await filesUnder(out);
    expect(files).not.toContain('rules/prometheus/payments/retired.yaml');
    expect(files).toContain('rules/prometheus/payments/hand-written.yaml');
    expect(files).toContain('dashboards/payments/services/retired.json');
    expect(files).toContain('.burnrate-manifest.json');
    expect((await generate('--check')).code).toBe(0);
  });

  it('refuses a damaged manifest with its location, and removes nothing', async () => {
    await writeFile(
      join(out, '.burnrate-manifest.json'),
      '{"generator": "burnrate", "version": 1, "files": {"../etc/passwd": "x"}}\n',
    );
    const before = await filesUnder(out);

    const result = await generate();

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\.burnrate-manifest\.json:1:1: "\.\.\/etc\/passwd" is outside rules\/prometheus/,
    );
    expect(await filesUnder(out)).toEqual(before);
  });

  it('says in --help how it writes in place', async () => {
    const lines: string[] = [];
    await run(['generate', '--help'], {
      stdout: (l) => lines.push(l),
      stderr: () => {},
      exit: () => {},
      env: {},
    });
    const help = lines.join('\n');
    expect(help).toContain('.burnrate-manifest.json');
    expect(help).toMatch(/never removed/);
    expect(help).toMatch(/renamed over the old one/);
    expect(help).toContain('http://localhost:3001');
  });
});
