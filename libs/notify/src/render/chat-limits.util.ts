import type { MessageFormat } from './message-view.js';

type Json = Record<string, unknown>;

const bytes = (body: unknown): number => Buffer.byteLength(JSON.stringify(body), 'utf8');
const chars = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** Slack: 50 blocks, 3,000 characters a section, 10 fields of 2,000, 40,000 characters of text. */
function slackProblem(body: Json): string | undefined {
  const blocks = [...list(body['blocks']), ...list(body['attachments']).flatMap((a) => list(a['blocks']))];
  if (blocks.length > 50) return `${blocks.length} blocks (Slack allows 50)`;
  for (const block of blocks) {
    const text = (block['text'] as Json | undefined)?.['text'];
    if (block['type'] === 'header' && chars(text) > 150) return 'a header over 150 characters';
    if (chars(text) > 3000) return 'a section over 3,000 characters';
    const fields = list(block['fields']);
    if (fields.length > 10 || fields.some((f) => chars(f['text']) > 2000)) return 'fields over the limit';
  }
  if (chars(body['text']) > 40_000) return 'text over 40,000 characters';
  return undefined;
}

/** Discord: 6,000 characters over all embeds, 4,096 a description, 25 fields of 1,024. */
function discordProblem(body: Json): string | undefined {
  if (chars(body['content']) > 2000) return 'content over 2,000 characters';
  const embeds = list(body['embeds']);
  if (embeds.length > 10) return 'more than 10 embeds';
  let total = 0;
  for (const embed of embeds) {
    const fields = list(embed['fields']);
    if (fields.length > 25) return 'more than 25 fields';
    if (chars(embed['title']) > 256 || chars(embed['description']) > 4096) return 'an embed over its limits';
    if (fields.some((f) => chars(f['name']) > 256 || chars(f['value']) > 1024)) return 'a field over 1,024';
    total +=
      chars(embed['title']) +
      chars(embed['description']) +
      chars((embed['footer'] as Json | undefined)?.['text']) +
      chars((embed['author'] as Json | undefined)?.['name']) +
      fields.reduce((n, f) => n + chars(f['name']) + chars(f['value']), 0);
  }
  return total > 6000 ? `${total} characters of embeds (Discord allows 6,000)` : undefined;
}

/** Byte budgets of the services that limit the request: Teams 28 KB, Google Chat 32,000 bytes. */
const BYTE_LIMITS: Partial<Record<MessageFormat, number>> = {
  teams: 28 * 1024,
  googlechat: 32_000,
  mattermost: 16_383,
  webhook: 256 * 1024,
};

/** Why a rendered message is too big for its service, or undefined when it fits. */
export function sizeProblem(format: MessageFormat, body: unknown): string | undefined {
  const object = (body ?? {}) as Json;
  if (format === 'slack') return slackProblem(object);
  if (format === 'discord') return discordProblem(object);
  const limit = BYTE_LIMITS[format];
  const size = bytes(body);
  return limit !== undefined && size > limit ? `${size} bytes (the limit is ${limit})` : undefined;
}
