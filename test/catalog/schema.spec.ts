import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const schema = JSON.parse(await readFile(join(root, 'schema/burnrate.v1.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

async function nativeDocuments(): Promise<[string, unknown][]> {
  const docs: [string, unknown][] = [];
  for (const entry of await readdir(join(root, 'catalog'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const value = doc.toJS() as { apiVersion?: string } | null;
      if (value?.apiVersion === 'burnrate.dev/v1') docs.push([entry.name, value]);
    }
  }
  return docs;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutations of arbitrary fields
type Doc = any;

const SERVICE = {
  apiVersion: 'burnrate.dev/v1',
  kind: 'Service',
  metadata: { name: 'checkout', team: 'payments' },
  spec: {
    slos: [
      {
        name: 'availability',
        objective: 99.9,
        window: '30d',
        sli: { events: { errorQuery: 'sum(rate(x[{{.window}}]))', totalQuery: 'sum(rate(y[{{.window}}]))' } },
      },
    ],
  },
};

describe('the JSON Schema of the native format', () => {
  it('accepts every native document of the example catalog', async () => {
    const docs = await nativeDocuments();
    expect(docs.length).toBeGreaterThanOrEqual(14);
    for (const [file, doc] of docs)
      expect(validate(doc), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it('accepts a minimal service', () => {
    expect(validate(SERVICE)).toBe(true);
  });

  it.each([
    ['a misspelt field', (s: Doc) => void (s.spec.slos[0].objectve = s.spec.slos[0].objective)],
    ['an objective of 100', (s: Doc) => (s.spec.slos[0].objective = 100)],
    ['an unknown window', (s: Doc) => (s.spec.slos[0].window = '5x')],
    ['a query without {{.window}}', (s: Doc) => (s.spec.slos[0].sli.events.errorQuery = 'sum(rate(x[5m]))')],
    ['two SLI kinds', (s: Doc) => (s.spec.slos[0].sli.gauge = { selector: 'up' })],
    ['an unsafe service name', (s: Doc) => (s.metadata.name = 'Checkout_API')],
  ])('rejects %s', (_, mutate) => {
    const doc = structuredClone(SERVICE);
    mutate(doc);
    expect(validate(doc)).toBe(false);
  });

  it('rejects an unknown chat type', () => {
    expect(validate(aTeam({ type: 'pager', url: 'https://x' }))).toBe(false);
  });

  it.each([
    ['a webhook URL', { type: 'slack', url: 'https://hooks.slack.com/x' }],
    ['a URL variable and a template', { type: 'discord', urlFrom: { env: 'X' }, template: './discord.hbs' }],
    ['a Slack bot with a channel ID', { type: 'slack', tokenFrom: { env: 'T' }, channel: 'C0123456' }],
    ['a Slack bot with a #name', { type: 'slack', tokenFrom: { env: 'T' }, channel: '#shop-alerts' }],
  ])('accepts a team destination with %s', (_, chat) => {
    expect(validate(aTeam(chat)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['a url and a token', { type: 'slack', url: 'https://x', tokenFrom: { env: 'T' }, channel: 'C0123456' }],
    ['a url and a url variable', { type: 'slack', url: 'https://x', urlFrom: { env: 'U' } }],
    ['no address at all', { type: 'slack' }],
    ['a token without a channel', { type: 'slack', tokenFrom: { env: 'T' } }],
    ['a token on discord', { type: 'discord', tokenFrom: { env: 'T' }, channel: 'C0123456' }],
    ['a channel with a webhook', { type: 'slack', urlFrom: { env: 'U' }, channel: 'C0123456' }],
    ['a channel that is neither ID nor #name', { type: 'slack', tokenFrom: { env: 'T' }, channel: 'shop' }],
    ['an absolute template path', { type: 'slack', url: 'https://x', template: '/etc/slack.hbs' }],
    ['an empty template path', { type: 'slack', url: 'https://x', template: '' }],
  ])('rejects a team destination with %s', (_, chat) => {
    expect(validate(aTeam(chat))).toBe(false);
  });

  it('accepts a service with its own chat destinations', () => {
    const doc: Doc = structuredClone(SERVICE);
    doc.spec.chat = [
      { type: 'slack', tokenFrom: { env: 'T' }, channel: '#checkout', template: './checkout.hbs' },
    ];
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects a service chat destination the team one would refuse', () => {
    const doc: Doc = structuredClone(SERVICE);
    doc.spec.chat = [{ type: 'teams', tokenFrom: { env: 'T' }, channel: 'C0123456' }];
    expect(validate(doc)).toBe(false);
  });
});

function aTeam(chat: object): object {
  return { apiVersion: 'burnrate.dev/v1', kind: 'Team', metadata: { name: 'a' }, spec: { chat: [chat] } };
}
