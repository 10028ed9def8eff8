import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../../apps/cli/src/program.js';

const root = resolve(import.meta.dirname, '../..');
const catalog = join(root, 'catalog');
const CONFIG = 'alertmanager/burnrate.yml';

async function cli(...argv: string[]) {
  const err: string[] = [];
  const io = { stdout: () => {}, stderr: (l: string) => err.push(l), exit: () => {}, env: {} };
  const code = await run(argv, io);
  return { code, stderr: err.join('\n') };
}

interface Webhook {
  url: string;
  http_config: { authorization: { type: string; credentials_file: string } };
}
const webhookOf = (text: string): Webhook =>
  (parse(text) as { receivers: { webhook_configs: Webhook[] }[] }).receivers[0]!.webhook_configs[0]!;

describe('burnrate generate, the Alertmanager configuration', () => {
  let out: string;
  const generate = (...extra: string[]) => cli('generate', '--catalog', catalog, '--out', out, ...extra);

  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'burnrate-am-generate-'));
    expect((await generate()).code).toBe(0);
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes alertmanager/burnrate.yml, the committed file byte for byte, and lists it in the manifest', async () => {
    const written = await readFile(join(out, CONFIG), 'utf8');
    const manifest = JSON.parse(await readFile(join(out, '.burnrate-manifest.json'), 'utf8')) as {
      files: Record<string, string>;
    };

    expect(written).toBe(await readFile(join(root, CONFIG), 'utf8'));
    expect(Object.keys(manifest.files)).toContain(CONFIG);
    expect(webhookOf(written)).toEqual({
      url: 'http://burnrate:3000/webhooks/alertmanager',
      send_resolved: true,
      max_alerts: 100,
      http_config: {
        authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/burnrate-webhook-token' },
      },
    });
  });

  it('has --check find a changed and a missing configuration', async () => {
    expect((await generate('--check')).code).toBe(0);

    await writeFile(join(out, CONFIG), (await readFile(join(out, CONFIG), 'utf8')).replace('4h', '8h'));
    const changed = await generate('--check');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`changed: ${CONFIG}`);

    await unlink(join(out, CONFIG));
    const missing = await generate('--check');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`missing: ${CONFIG}`);
  });

  it('points the webhook where --burnrate-url and --webhook-token-file say', async () => {
    const flags = [
      '--burnrate-url',
      'https://burnrate.example.com/',
      '--webhook-token-file',
      '/run/secrets/token',
    ];

    expect((await generate('--check', ...flags)).stderr).toContain(`changed: ${CONFIG}`);
    expect((await generate(...flags)).code).toBe(0);
    const webhook = webhookOf(await readFile(join(out, CONFIG), 'utf8'));
    expect(webhook.url).toBe('https://burnrate.example.com/webhooks/alertmanager');
    expect(webhook.http_config.authorization.credentials_file).toBe('/run/secrets/token');
  });

  it('refuses a --burnrate-url Alertmanager cannot call, and an empty --webhook-token-file, as usage errors', async () => {
    const url = await generate('--burnrate-url', 'burnrate:3000');
    const file = await generate('--webhook-token-file', ' ');

    expect(url).toMatchObject({ code: 2, stderr: expect.stringContaining('--burnrate-url burnrate:3000') });
    expect(file).toMatchObject({ code: 2, stderr: expect.stringContaining('--webhook-token-file') });
  });

  it('keeps a hand-written file beside the generated configuration', async () => {
    await writeFile(join(out, 'alertmanager/local.yml'), 'route: {receiver: mine}\n');

    expect((await generate()).code).toBe(0);
    expect(await readFile(join(out, 'alertmanager/local.yml'), 'utf8')).toBe('route: {receiver: mine}\n');
    expect((await generate('--check')).code).toBe(0);
  });
});
