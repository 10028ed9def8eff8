import { describe, expect, it } from 'vitest';

import { loadCatalogFromSources } from '../load/load-catalog.js';

const team = (chat: string) => ({
  file: 'team.yaml',
  text: `apiVersion: burnrate.dev/v1
kind: Team
metadata:
  name: shop
spec:
  chat:
${chat}`,
});

const load = (chat: string) => loadCatalogFromSources([team(chat)]);
const errors = (chat: string) =>
  load(chat)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => p.message);

describe('a team chat destination', () => {
  it('takes a literal url', () => {
    const { catalog, problems } = load(
      '    - { type: slack, url: "https://hooks.slack.com/services/T/B/X" }\n',
    );
    expect(problems).toEqual([]);
    expect(catalog.teams[0]!.chat[0]).toEqual({
      type: 'slack',
      url: 'https://hooks.slack.com/services/T/B/X',
      severities: [],
      reports: [],
    });
  });

  it('takes a url from an environment variable', () => {
    const { catalog } = load('    - { type: discord, urlFrom: { env: SHOP_DISCORD } }\n');
    expect(catalog.teams[0]!.chat[0]).toMatchObject({ type: 'discord', urlFromEnv: 'SHOP_DISCORD' });
  });

  it.each([
    ['both', '    - { type: slack, url: "https://x.example", urlFrom: { env: X } }\n', 'not both'],
    ['neither', '    - { type: slack }\n', 'give the webhook as `url` or `urlFrom'],
    ['a url that is not http', '    - { type: slack, url: "ftp://x" }\n', 'is not an http(s) URL'],
  ])('refuses %s', (_name, chat, message) => {
    expect(errors(chat).join('\n')).toContain(message);
  });
});
