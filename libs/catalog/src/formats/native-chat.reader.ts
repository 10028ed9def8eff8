import { isAbsolute } from 'node:path';

import type { ChatTarget, ChatType } from '../model/catalog.model.js';
import type { Cursor, Fields } from '../load/cursor.js';
import type { TemplateUse } from '../load/drafts.js';

/** The chat destination types the native format knows. */
export const CHAT_TYPES: readonly ChatType[] = [
  'slack',
  'teams',
  'googlechat',
  'discord',
  'mattermost',
  'webhook',
];

const CHAT_FIELDS = ['type', 'url', 'urlFrom', 'tokenFrom', 'channel', 'template', 'severities', 'reports'];
/** Where a destination's address or credential comes from: exactly one of them. */
const SECRET_FIELDS = ['url', 'urlFrom', 'tokenFrom'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Slack channel IDs (public C, private G, direct D) or a `#name` as Slack spells names. */
const SLACK_CHANNEL = /^([CGD][A-Z0-9]{6,}|#[^\s#,.]{1,80})$/u;

/** What reading a chat list needs besides the YAML: where templates resolve, where their uses go. */
export interface ChatReadContext {
  /** Resolves a path written in the catalog against the file that holds it. */
  resolvePath: (relative: string) => string;
  templates: TemplateUse[];
}

/** A Team's or Service's `chat` list; invalid entries are reported and left out. */
export function readChatList(c: Cursor, ctx: ChatReadContext): ChatTarget[] {
  return (c.list() ?? []).map((item) => readChat(item, ctx)).filter((t): t is ChatTarget => t !== undefined);
}

function readChat(c: Cursor, ctx: ChatReadContext): ChatTarget | undefined {
  const f = c.fields(CHAT_FIELDS, ['type']);
  if (!f) return undefined;
  const type = f.get('type').string();
  if (type !== undefined && !CHAT_TYPES.includes(type as ChatType)) {
    return f.get('type').error(`unknown chat type \`${type}\`: use one of ${CHAT_TYPES.join(', ')}`);
  }
  const strings = (x: Cursor) =>
    (x.list() ?? []).map((i) => i.string()).filter((v): v is string => v !== undefined);
  const template = readTemplatePath(f.get('template'));
  const address = readAddress(c, f, type as ChatType | undefined);
  const target: ChatTarget | undefined =
    type && address
      ? {
          type: type as ChatType,
          ...address,
          severities: strings(f.get('severities')),
          reports: strings(f.get('reports')),
        }
      : undefined;
  // The template is checked even when the address is wrong, so one run reports both.
  if (template) ctx.templates.push({ ...template, file: ctx.resolvePath(template.written), target });
  return target;
}

type Address = Pick<ChatTarget, 'url' | 'urlFromEnv' | 'tokenFromEnv' | 'channel'>;

/** One of `url`, `urlFrom` or (Slack) `tokenFrom` with `channel`. */
function readAddress(c: Cursor, f: Fields, type: ChatType | undefined): Address | undefined {
  const given = SECRET_FIELDS.filter((k) => f.has(k));
  const channel = f.get('channel');
  if (given.length > 1) {
    return f
      .get(given[1]!)
      .error(
        `only one of \`url\`, \`urlFrom\`, \`tokenFrom\` may be set, not both \`${given[0]}\` and \`${given[1]}\``,
      );
  }
  if (given.length === 0) {
    const bot = type === 'slack' ? ', or a Slack bot token as `tokenFrom: {env: NAME}` with `channel`' : '';
    return c.error(`give the webhook as \`url\` or \`urlFrom: {env: NAME}\`${bot}`);
  }
  if (given[0] !== 'tokenFrom' && channel.node !== undefined) {
    return channel.error(
      '`channel` goes with `tokenFrom` (a Slack bot); a webhook URL posts to the channel it was made for',
    );
  }
  if (given[0] === 'url') {
    const url = f.get('url').string();
    if (url !== undefined && !/^https?:\/\/\S+$/.test(url))
      return f.get('url').error(`\`${url}\` is not an http(s) URL`);
    return url === undefined ? undefined : { url };
  }
  if (given[0] === 'urlFrom') {
    const env = readEnv(f.get('urlFrom'));
    return env === undefined ? undefined : { urlFromEnv: env };
  }
  const tokenFrom = f.get('tokenFrom');
  if (type !== undefined && type !== 'slack') {
    return tokenFrom.error(
      `\`tokenFrom\` (a Slack bot token) is only for \`type: slack\`; a ${type} destination takes \`url\` or \`urlFrom: {env: NAME}\``,
    );
  }
  const env = readEnv(tokenFrom);
  if (channel.node === undefined) {
    return tokenFrom.error(
      '`tokenFrom` needs `channel`: the channel ID (C0123456) or "#name" the bot posts to',
    );
  }
  if (!channel.present) {
    // `channel: #alerts` unquoted is a YAML comment: the value reads as nothing.
    return channel.error('`channel` is empty: quote a name (`channel: "#alerts"`), or give the channel ID');
  }
  const name = channel.string();
  if (name !== undefined && !SLACK_CHANNEL.test(name)) {
    return channel.error(`\`${name}\` is not a Slack channel: give its ID (C0123456) or "#name"`);
  }
  return env === undefined || name === undefined ? undefined : { tokenFromEnv: env, channel: name };
}

/** `{env: NAME}`: the name of the environment variable that holds the secret. */
function readEnv(c: Cursor): string | undefined {
  const env = c.fields(['env'], ['env'])?.get('env');
  const name = env?.string();
  if (name !== undefined && !ENV_NAME.test(name))
    return env!.error(`\`${name}\` is not an environment variable name`);
  return name;
}

function readTemplatePath(c: Cursor): Omit<TemplateUse, 'file' | 'target'> | undefined {
  if (c.node === undefined) return undefined;
  const missing = '`template` names no file: give a path relative to this file, such as ./slack.hbs';
  if (!c.present) return c.error(missing);
  const written = c.string();
  if (written === undefined) return undefined;
  if (written.trim() === '') return c.error(missing);
  if (isAbsolute(written)) {
    return c.error(
      `template \`${written}\` is an absolute path: give it relative to this file, so the catalog reads the same anywhere`,
    );
  }
  return { written, at: { file: c.ctx.file, ...c.ctx.position(c.offset), path: c.path } };
}
