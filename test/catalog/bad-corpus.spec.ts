import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, MAX_FILE_BYTES, type Problem } from '@burnrate/catalog';

const dir = join(import.meta.dirname, 'bad');

/** Each corpus file opens with `# expect: <text>` and maybe `# at: line:col` (counted in the body below the header). */
async function expectation(file: string): Promise<{ expect: string; at?: [number, number] }> {
  const text = await readFile(join(dir, file), 'utf8');
  if (text === '') return { expect: 'no YAML document', at: [1, 1] };
  const header = text
    .split('\n')
    .filter((l, i, all) =>
      all.slice(0, i + 1).every((x) => x.startsWith('# expect:') || x.startsWith('# at:')),
    );
  const expect = /^# expect: (.+)$/m.exec(text)?.[1];
  const at = /^# at: (\d+):(\d+)$/m.exec(text);
  if (!expect) throw new Error(`${file} has no "# expect:" line`);
  return {
    expect,
    ...(at ? { at: [Number(at[1]) + header.length, Number(at[2])] as [number, number] } : {}),
  };
}

const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

describe('the bad-input corpus', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();

  it('holds at least 40 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s is refused with a located, explained error', async (file) => {
    const { expect: wanted, at } = await expectation(file);
    const { problems } = await loadCatalog([join(dir, file)]);
    const matching = errors(problems).filter((p) => p.message.toLowerCase().includes(wanted.toLowerCase()));
    expect(
      matching.map((p) => p.message),
      `errors: ${JSON.stringify(problems, null, 1)}`,
    ).not.toEqual([]);
    for (const p of problems) {
      expect(p.file).toBe(join(dir, file).replace(`${process.cwd()}/`, ''));
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
    }
    if (at) expect(matching.map((p) => [p.line, p.column])).toContainEqual(at);
  });
});

describe('files that are not catalog text', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'burnrate-bad-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('refuses a file over the size limit without parsing it', async () => {
    const huge = join(tmp, 'huge.yaml');
    await writeFile(huge, `# ${'x'.repeat(80)}\n`.repeat(Math.ceil((MAX_FILE_BYTES * 2) / 83)));
    const { problems } = await loadCatalog([huge]);
    expect(errors(problems)).toEqual([
      expect.objectContaining({ line: 1, column: 1, message: expect.stringMatching(/at most 5 MiB/) }),
    ]);
  });

  it('refuses binary garbage', async () => {
    const binary = join(tmp, 'garbage.yaml');
    await writeFile(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x00]));
    const { problems } = await loadCatalog([binary]);
    expect(errors(problems)[0]?.message).toMatch(/not a text YAML file/);
  });

  it('refuses text that is not UTF-8', async () => {
    const latin1 = join(tmp, 'latin1.yaml');
    await writeFile(latin1, Buffer.from('name: caf\xe9\n', 'latin1'));
    const { problems } = await loadCatalog([latin1]);
    expect(errors(problems)[0]?.message).toMatch(/not valid UTF-8/);
  });

  it('reports a path that does not exist', async () => {
    const { problems } = await loadCatalog([join(tmp, 'nope')]);
    expect(errors(problems)[0]?.message).toBe('no such file or folder');
  });

  it('reports every problem of a folder in one run', async () => {
    const { problems } = await loadCatalog([dir]);
    const files = new Set(errors(problems).map((p) => p.file));
    expect(files.size).toBeGreaterThanOrEqual(40);
  });
});
