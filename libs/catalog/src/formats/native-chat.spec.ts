import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadCatalog, loadCatalogFromSources, type CatalogSource } from '../load/load-catalog.js';
import { templateSyntaxError } from '../load/chat-templates.js';

const team = (chat: string, file = 'team.yaml') => ({
  file,
  text: `apiVersion: burnrate.dev/v1
kind: Team
metadata:
  name: shop
spec:
  chat:
${chat}`,
});

const service = (chat: string) => ({
  file: 'cart.yaml',
  text: `apiVersion: burnrate.dev/v1
kind: Service
metadata:
  name: cart
  team: shop
spec:
  chat:
${chat}  slos:
    - name: availability
      objective: 99.9
      sli:
        raw: { errorRatioQuery: 'avg_over_time(x[{{.window}}])' }
`,
});

const load = (chat: string, templates: CatalogSource[] = []) =>
  loadCatalogFromSources([team(chat)], {}, templates);
const errorsOf = (problems: { severity: string; message: string }[]) =>
  problems.filter((p) => p.severity === 'error').map((p) => p.message);
const errors = (chat: string) => errorsOf(load(chat).problems);

const SLACK_TEMPLATE = '{{#each alerts}}*{{labels.alertname}}* {{status}}\n{{/each}}\n';

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

describe('a Slack bot destination', () => {
  it('takes a token from an environment variable and a channel ID', () => {
    const { catalog, problems } = load(
      '    - { type: slack, tokenFrom: { env: SHOP_SLACK_TOKEN }, channel: C0123456, severities: [page] }\n',
    );
    expect(problems).toEqual([]);
    expect(catalog.teams[0]!.chat[0]).toEqual({
      type: 'slack',
      tokenFromEnv: 'SHOP_SLACK_TOKEN',
      channel: 'C0123456',
      severities: ['page'],
      reports: [],
    });
  });

  it('takes a quoted #name as the channel', () => {
    const { catalog, problems } = load(
      '    - { type: slack, tokenFrom: { env: T }, channel: "#shop-alerts" }\n',
    );
    expect(problems).toEqual([]);
    expect(catalog.teams[0]!.chat[0]).toMatchObject({ channel: '#shop-alerts' });
  });

  it('refuses a token without a channel, at the tokenFrom field', () => {
    const { problems } = load('    - type: slack\n      tokenFrom: { env: T }\n');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 8,
        column: 18,
        message: expect.stringContaining('`tokenFrom` needs `channel`'),
      }),
    ]);
  });

  it('explains an unquoted #name, which YAML reads as a comment', () => {
    expect(errors('    - type: slack\n      tokenFrom: { env: T }\n      channel: #alerts\n')).toEqual([
      expect.stringContaining('quote a name (`channel: "#alerts"`)'),
    ]);
  });

  it('refuses a token on another chat type, naming what that type takes', () => {
    const { problems } = load('    - type: discord\n      tokenFrom: { env: T }\n      channel: C0123456\n');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 8,
        column: 18,
        message:
          '`tokenFrom` (a Slack bot token) is only for `type: slack`; a discord destination takes `url` or `urlFrom: {env: NAME}`',
      }),
    ]);
  });

  it('refuses a url and a token together, at the second one', () => {
    const { problems } = load(
      '    - type: slack\n      url: https://hooks.slack.com/x\n      tokenFrom: { env: T }\n      channel: C0123456\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 9,
        column: 18,
        message: 'only one of `url`, `urlFrom`, `tokenFrom` may be set, not both `url` and `tokenFrom`',
      }),
    ]);
  });

  it.each([
    [
      'a channel with a webhook',
      '    - { type: slack, urlFrom: { env: U }, channel: C0123456 }\n',
      'goes with `tokenFrom`',
    ],
    [
      'a channel that is neither ID nor #name',
      '    - { type: slack, tokenFrom: { env: T }, channel: shop }\n',
      'is not a Slack channel',
    ],
    [
      'a token variable that is not a name',
      '    - { type: slack, tokenFrom: { env: "A-B" }, channel: C0123456 }\n',
      'is not an environment variable name',
    ],
    [
      'neither url nor token, naming the bot',
      '    - { type: slack }\n',
      'or a Slack bot token as `tokenFrom: {env: NAME}` with `channel`',
    ],
  ])('refuses %s', (_name, chat, message) => {
    expect(errors(chat).join('\n')).toContain(message);
  });
});

describe('a chat template', () => {
  it('is read from the file the path names, relative to the catalog file', () => {
    const { catalog, problems } = loadCatalogFromSources(
      [
        team(
          '    - { type: slack, urlFrom: { env: U }, template: ../templates/slack.hbs }\n',
          'catalog/shop/team.yaml',
        ),
      ],
      {},
      [{ file: 'catalog/templates/slack.hbs', text: SLACK_TEMPLATE }],
    );
    expect(problems).toEqual([]);
    expect(catalog.teams[0]!.chat[0]!.template).toEqual({
      file: 'catalog/templates/slack.hbs',
      source: SLACK_TEMPLATE,
    });
  });

  it('reports a missing file at the template field', () => {
    const { problems } = load('    - type: slack\n      urlFrom: { env: U }\n      template: ./slack.hbs\n');
    expect(problems).toEqual([
      {
        file: 'team.yaml',
        line: 9,
        column: 17,
        severity: 'error',
        path: 'spec.chat[0].template',
        message: 'template `./slack.hbs`: no file slack.hbs: the path is relative to this catalog file',
      },
    ]);
  });

  it('reports a syntax error with the template file and its own line', () => {
    const broken = '{{#each alerts}}\n{{labels.alertname}}\n{{labels.severity\n{{/each}}\n';
    const { problems } = load('    - type: slack\n      urlFrom: { env: U }\n      template: ./slack.hbs\n', [
      { file: 'slack.hbs', text: broken },
    ]);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 9,
        column: 17,
        message: expect.stringMatching(
          /^template `\.\/slack\.hbs`: slack\.hbs:3: Handlebars parse error: got 'OPEN_ENDBLOCK'/,
        ),
      }),
    ]);
  });

  it('reports a template once per destination that names it, and attaches it to the others', () => {
    const chat =
      '    - { type: slack, urlFrom: { env: U }, template: ./a.hbs }\n    - { type: discord, url: "https://x.example", template: ./a.hbs }\n';
    const { catalog, problems } = load(chat, [{ file: 'a.hbs', text: 'hi' }]);
    expect(problems).toEqual([]);
    expect(catalog.teams[0]!.chat.map((c) => c.template?.source)).toEqual(['hi', 'hi']);
  });

  it('checks the template even when the destination has another problem', () => {
    expect(errors('    - { type: slack, template: ./absent.hbs }\n')).toEqual([
      expect.stringContaining('give the webhook'),
      expect.stringContaining('no file absent.hbs'),
    ]);
  });

  it.each([
    ['an absolute path', '/etc/slack.hbs', 'is an absolute path'],
    ['an empty path', '""', '`template` names no file'],
  ])('refuses %s', (_name, path, message) => {
    expect(errors(`    - { type: slack, urlFrom: { env: U }, template: ${path} }\n`).join('\n')).toContain(
      message,
    );
  });

  it.each([
    ['a block closed by another', '{{#if x}}\n{{/each}}', "1:4: Handlebars: if doesn't match each"],
    ['an unclosed block', 'a\n{{#if x}}\n', "3: Handlebars parse error: got 'EOF'"],
    ['an unclosed comment', 'a\n{{!-- b', '2: Handlebars: Unrecognized text.'],
  ])('names the line of %s', (_name, source, message) => {
    expect(templateSyntaxError(source)).toContain(message);
  });

  it('is read from disk by loadCatalog, beside the file that names it', async () => {
    const dir = relative(process.cwd(), join(import.meta.dirname, 'fixtures/chat-templates'));
    const { catalog, problems } = await loadCatalog([join(dir, 'shop.yaml')]);
    expect(catalog.teams[0]!.chat[0]!.template).toEqual({
      file: join(dir, 'slack.hbs'),
      source: expect.stringContaining('{{labels.alertname}}'),
    });
    const broken = join(dir, 'templates/broken.tmpl');
    const absent = join(dir, 'absent.hbs');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      expect.stringMatching(/^15:17 template `templates\/broken\.tmpl`: .*:3: Handlebars parse error/),
      `18:17 template \`./absent.hbs\`: no file ${absent}: the path is relative to this catalog file`,
    ]);
    expect(problems[0]!.message).toContain(`${broken}:3:`);
  });
});

describe('a service chat destination', () => {
  it('is read as a team destination is, template included', () => {
    const { catalog, problems } = loadCatalogFromSources(
      [
        team('    - { type: slack, urlFrom: { env: U } }\n'),
        service(
          '    - { type: slack, tokenFrom: { env: CART_TOKEN }, channel: "#cart", template: ./cart.hbs }\n',
        ),
      ],
      {},
      [{ file: 'cart.hbs', text: 'cart' }],
    );
    expect(problems).toEqual([]);
    expect(catalog.services[0]!.chat).toEqual([
      {
        type: 'slack',
        tokenFromEnv: 'CART_TOKEN',
        channel: '#cart',
        template: { file: 'cart.hbs', source: 'cart' },
        severities: [],
        reports: [],
      },
    ]);
  });

  it('is empty when the service declares none', () => {
    const { catalog } = loadCatalogFromSources([
      team('    - { type: slack, urlFrom: { env: U } }\n'),
      service('    []\n'),
    ]);
    expect(catalog.services[0]!.chat).toEqual([]);
  });

  it('is validated as a team destination is', () => {
    const { problems } = loadCatalogFromSources([
      team('    - { type: slack, urlFrom: { env: U } }\n'),
      service(
        '    - { type: discord, tokenFrom: { env: T }, channel: C0123456 }\n    - { type: pager, url: "https://x.example" }\n',
      ),
    ]);
    expect(problems.map((p) => [p.file, p.line, p.path, p.message])).toEqual([
      ['cart.yaml', 8, 'spec.chat[0].tokenFrom', expect.stringContaining('only for `type: slack`')],
      ['cart.yaml', 9, 'spec.chat[1].type', expect.stringContaining('unknown chat type `pager`')],
    ]);
  });
});
