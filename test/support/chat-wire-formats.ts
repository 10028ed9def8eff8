/**
 * The wire formats of the chat services Burnrate posts to, as checks: each service's documented
 * shape and limits, and what its client would turn into a mention, a link or markup. The fake
 * chat service refuses a message these checks fail, as the real service would.
 */
export type ChatFormat = 'slack' | 'teams' | 'googlechat' | 'discord' | 'mattermost' | 'webhook';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const chars = (v: unknown): number => (typeof v === 'string' ? [...v].length : 0);
const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

const SLACK_BLOCKS = new Set(['header', 'section', 'context', 'actions', 'divider', 'image', 'rich_text']);
const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);

function slackTextObject(
  v: unknown,
  where: string,
  max: number,
  problems: string[],
  plainOnly = false,
): void {
  if (!isObject(v) || !TEXT_TYPES.has(String(v['type'])) || typeof v['text'] !== 'string') {
    problems.push(`${where}: must be a text object {type: plain_text|mrkdwn, text}`);
    return;
  }
  if (plainOnly && v['type'] !== 'plain_text') problems.push(`${where}: must be plain_text`);
  if (chars(v['text']) === 0) problems.push(`${where}: text must not be empty`);
  if (chars(v['text']) > max) problems.push(`${where}: text over ${max} characters`);
}

function slackBlocks(blocks: unknown, where: string, problems: string[]): void {
  if (blocks === undefined) return;
  if (!Array.isArray(blocks)) return void problems.push(`${where}: must be a list`);
  if (blocks.length > 50) problems.push(`${where}: ${blocks.length} blocks, Slack allows 50`);
  blocks.forEach((block: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(block) || !SLACK_BLOCKS.has(String(block['type'])))
      return void problems.push(
        `${at}: unknown block type ${JSON.stringify(isObject(block) ? block['type'] : block)}`,
      );
    if (block['type'] === 'header') slackTextObject(block['text'], `${at}.text`, 150, problems, true);
    if (block['type'] === 'section') {
      if (block['text'] === undefined && block['fields'] === undefined)
        problems.push(`${at}: a section needs text or fields`);
      if (block['text'] !== undefined) slackTextObject(block['text'], `${at}.text`, 3000, problems);
      const fields = block['fields'];
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length > 10) problems.push(`${at}.fields: at most 10`);
        else fields.forEach((f: unknown, j) => slackTextObject(f, `${at}.fields[${j}]`, 2000, problems));
      }
    }
    if (block['type'] === 'context') {
      const elements = list(block['elements']);
      if (elements.length === 0 || elements.length > 10) problems.push(`${at}.elements: 1 to 10`);
      elements.forEach(
        (e, j) => e['type'] !== 'image' && slackTextObject(e, `${at}.elements[${j}]`, 3000, problems),
      );
    }
    if (block['type'] === 'actions') {
      const elements = list(block['elements']);
      if (elements.length === 0 || elements.length > 25) problems.push(`${at}.elements: 1 to 25`);
      elements.forEach((e, j) => {
        if (e['type'] !== 'button') return;
        slackTextObject(e['text'], `${at}.elements[${j}].text`, 75, problems, true);
        if (
          e['url'] !== undefined &&
          (chars(e['url']) > 3000 || !/^https?:\/\//.test(typeof e['url'] === 'string' ? e['url'] : ''))
        )
          problems.push(`${at}.elements[${j}].url: an http(s) URL of at most 3,000 characters`);
      });
    }
  });
}

function slack(body: Json, problems: string[]): void {
  if (typeof body['text'] !== 'string' || body['text'] === '')
    problems.push('text: required (the notification fallback)');
  if (chars(body['text']) > 40_000) problems.push('text: over 40,000 characters');
  slackBlocks(body['blocks'], 'blocks', problems);
  list(body['attachments']).forEach((a, i) => {
    const color = a['color'];
    if (
      color !== undefined &&
      (typeof color !== 'string' || !/^(#[0-9a-fA-F]{6}|good|warning|danger)$/.test(color))
    )
      problems.push(`attachments[${i}].color: a hex colour or good, warning, danger`);
    slackBlocks(a['blocks'], `attachments[${i}].blocks`, problems);
  });
}

const CARD_ELEMENTS = new Set([
  'TextBlock',
  'FactSet',
  'ColumnSet',
  'Column',
  'Container',
  'Image',
  'ImageSet',
  'ActionSet',
  'RichTextBlock',
]);
const CARD_ACTIONS = new Set([
  'Action.OpenUrl',
  'Action.ShowCard',
  'Action.Submit',
  'Action.ToggleVisibility',
]);

function cardElements(items: unknown, where: string, problems: string[]): void {
  list(items).forEach((item, i) => {
    const at = `${where}[${i}]`;
    if (!CARD_ELEMENTS.has(String(item['type'])))
      problems.push(`${at}: ${String(item['type'])} is not an Adaptive Card 1.4 element`);
    if (item['type'] === 'RichTextBlock')
      list(item['inlines']).forEach((run, j) => {
        if (run['type'] !== 'TextRun' || typeof run['text'] !== 'string')
          problems.push(`${at}.inlines[${j}]: must be a TextRun with text`);
      });
    if (item['type'] === 'TextBlock' && typeof item['text'] !== 'string')
      problems.push(`${at}.text: required`);
    cardElements(item['items'], `${at}.items`, problems);
    cardElements(item['columns'], `${at}.columns`, problems);
  });
}

function teams(body: Json, problems: string[]): void {
  if (body['type'] !== 'message') problems.push('type: must be "message"');
  const attachments = list(body['attachments']);
  if (attachments.length === 0) problems.push('attachments: one Adaptive Card is required');
  attachments.forEach((a, i) => {
    if (a['contentType'] !== 'application/vnd.microsoft.card.adaptive')
      problems.push(`attachments[${i}].contentType: must be application/vnd.microsoft.card.adaptive`);
    const card = a['content'];
    if (!isObject(card) || card['type'] !== 'AdaptiveCard')
      return void problems.push(`attachments[${i}].content: must be an AdaptiveCard`);
    if (!['1.0', '1.1', '1.2', '1.3', '1.4'].includes(String(card['version'])))
      problems.push(
        `attachments[${i}].content.version: ${String(card['version'])}; Teams Workflows render 1.4 at most`,
      );
    cardElements(card['body'], `attachments[${i}].content.body`, problems);
    list(card['actions']).forEach((action, j) => {
      if (!CARD_ACTIONS.has(String(action['type']))) problems.push(`actions[${j}]: unknown action`);
      if (action['type'] === 'Action.OpenUrl' && !/^https?:\/\//.test(String(action['url'])))
        problems.push(`actions[${j}].url: an http(s) URL is required`);
    });
  });
  if (bytes(body) > 28 * 1024) problems.push(`the message is ${bytes(body)} bytes; Teams takes 28 KB`);
}

const CHAT_WIDGETS = new Set(['decoratedText', 'textParagraph', 'buttonList', 'divider', 'image', 'columns']);

function googlechat(body: Json, problems: string[]): void {
  const cards = list(body['cardsV2']);
  if (cards.length === 0 && typeof body['text'] !== 'string') problems.push('text or cardsV2: required');
  cards.forEach((c, i) => {
    if (typeof c['cardId'] !== 'string') problems.push(`cardsV2[${i}].cardId: required`);
    const card = c['card'];
    if (!isObject(card)) return void problems.push(`cardsV2[${i}].card: required`);
    list(card['sections']).forEach((section, j) =>
      list(section['widgets']).forEach((widget, k) => {
        const at = `cardsV2[${i}].card.sections[${j}].widgets[${k}]`;
        const kinds = Object.keys(widget).filter((key) => CHAT_WIDGETS.has(key));
        if (kinds.length !== 1) return void problems.push(`${at}: exactly one known widget`);
        if (kinds[0] === 'buttonList')
          list((widget['buttonList'] as Json)['buttons']).forEach((b, n) => {
            const url = ((b['onClick'] as Json | undefined)?.['openLink'] as Json | undefined)?.['url'];
            if (typeof b['text'] !== 'string' || !/^https?:\/\//.test(String(url)))
              problems.push(`${at}.buttonList.buttons[${n}]: text and onClick.openLink.url required`);
          });
      }),
    );
  });
  if (bytes(body) > 32_000) problems.push(`the message is ${bytes(body)} bytes; Google Chat takes 32,000`);
}

function discord(body: Json, problems: string[]): void {
  if (chars(body['content']) > 2000) problems.push('content: over 2,000 characters');
  const mentions = body['allowed_mentions'];
  if (!isObject(mentions) || !Array.isArray(mentions['parse']) || mentions['parse'].length > 0)
    problems.push('allowed_mentions: must be {"parse": []} so no text mentions anyone');
  const embeds = list(body['embeds']);
  if (embeds.length > 10) problems.push('embeds: at most 10');
  let total = 0;
  embeds.forEach((e, i) => {
    const fields = list(e['fields']);
    if (chars(e['title']) > 256) problems.push(`embeds[${i}].title: over 256`);
    if (chars(e['description']) > 4096) problems.push(`embeds[${i}].description: over 4,096`);
    if (fields.length > 25) problems.push(`embeds[${i}].fields: at most 25`);
    fields.forEach((f, j) => {
      if (chars(f['name']) > 256 || chars(f['value']) > 1024 || chars(f['value']) === 0)
        problems.push(`embeds[${i}].fields[${j}]: name up to 256, value 1 to 1,024 characters`);
    });
    if (e['color'] !== undefined && !Number.isInteger(e['color']))
      problems.push(`embeds[${i}].color: an integer`);
    total +=
      chars(e['title']) +
      chars(e['description']) +
      chars((e['footer'] as Json | undefined)?.['text']) +
      chars((e['author'] as Json | undefined)?.['name']) +
      fields.reduce((n, f) => n + chars(f['name']) + chars(f['value']), 0);
  });
  if (total > 6000) problems.push(`embeds: ${total} characters in all; Discord allows 6,000`);
  if (embeds.length === 0 && chars(body['content']) === 0) problems.push('content or embeds: required');
}

function mattermost(body: Json, problems: string[]): void {
  if (typeof body['text'] !== 'string' && list(body['attachments']).length === 0)
    problems.push('text or attachments: required');
  if (chars(body['text']) > 16_383) problems.push('text: over 16,383 characters');
  list(body['attachments']).forEach((a, i) => {
    for (const f of list(a['fields']))
      if (typeof f['title'] !== 'string' || typeof f['value'] !== 'string')
        problems.push(`attachments[${i}].fields: title and value strings`);
  });
}

function webhook(body: Json, problems: string[]): void {
  if (body['version'] !== '1') problems.push('version: must be "1"');
  if (body['status'] !== 'firing' && body['status'] !== 'resolved')
    problems.push('status: firing or resolved');
  if (!Array.isArray(body['alerts'])) problems.push('alerts: a list');
}

const CHECKS: Record<ChatFormat, (body: Json, problems: string[]) => void> = {
  slack,
  teams,
  googlechat,
  discord,
  mattermost,
  webhook,
};

/** What is wrong with a message for a service; empty when the service would take it. */
export function validateChatMessage(format: ChatFormat, body: unknown): string[] {
  if (!isObject(body)) return ['the body must be a JSON object'];
  const problems: string[] = [];
  CHECKS[format](body, problems);
  return problems;
}

/** Text a client reads as markup, by format: the fields it renders and the fields it does not parse. */
function textsOf(format: ChatFormat, body: Json): { where: string; text: string; markup: boolean }[] {
  const out: { where: string; text: string; markup: boolean }[] = [];
  const walk = (node: unknown, path: string, parentType?: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`, parentType));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof value === 'string') {
        // URL fields are links by design; the checks are on text a person or an alert wrote.
        if (
          /^(url|title_link|contentType|\$schema|color|timestamp|type|style|action_id|cardId|version|status|since|groupKey|username)$/.test(
            key,
          )
        )
          continue;
        const markup =
          format === 'slack'
            ? node['type'] !== 'plain_text'
            : // Teams reads markdown only in a TextBlock's text and a fact's value.
              format === 'teams'
              ? (node['type'] === 'TextBlock' && key === 'text') || (key === 'value' && 'title' in node)
              : true;
        out.push({ where: at, text: value, markup });
      } else walk(value, at, typeof node['type'] === 'string' ? node['type'] : parentType);
    }
  };
  walk(body, '');
  return out;
}

const BROADCAST = /(^|[^\p{L}\p{N}_\u2060\u200b])@(everyone|here|channel|all)\b/iu;
const LINK = /https?:\/\/|www\./i;

/**
 * Anything in a message that a client would turn into a mention, a broadcast, a link or markup
 * from the text: each as `where: what`. Empty when every text is inert.
 */
export function activeMarkup(format: ChatFormat, body: unknown, ourLinks: readonly string[] = []): string[] {
  if (!isObject(body)) return [];
  const found: string[] = [];
  for (const { where, text: raw, markup } of textsOf(format, body)) {
    // The message's own links (dashboard, runbook, traces, silence) are meant to be links.
    let text = raw;
    for (const link of ourLinks) text = text.split(`](${link})`).join('](ours)').split(link).join('ours');
    text = text.replace(/\[(Dashboard|Runbook|Traces|Silence)\]\(ours\)/g, '');
    const report = (what: string) => found.push(`${where}: ${what}`);
    if (BROADCAST.test(text)) report('a broadcast mention');
    if (LINK.test(text)) report('a bare link');
    if (format === 'slack' && markup && /<[!@#]|<https?:|<mailto:/i.test(text))
      report('a Slack control sequence');
    if (format === 'discord' && /(^|[^\\])<@[&!]?\d+>/.test(text)) report('a Discord mention');
    if ((format === 'discord' || format === 'mattermost') && /(^|[^\\])\[[^\]]*[^\\]\]\(/.test(text))
      report('a markdown link');
    if (format === 'mattermost' && /(^|[^\\])~[a-z0-9-]+/i.test(text) && markup) report('a channel link');
    if (format === 'googlechat' && /<(?!\/?(b|i|u|br|font)\b)[a-z/]/i.test(text)) report('an HTML tag');
    if (format === 'teams' && markup && /\[[^\]]*\]\(|\*\*/.test(text)) report('markdown in a TextBlock');
  }
  return found;
}
