/**
 * A local chat service for tests: Slack, Teams, Google Chat, Discord and Mattermost incoming
 * webhooks, a generic webhook, and Slack's Web API (`chat.postMessage`, `chat.update`), each
 * answering as the real one does. Every message is checked against its service's wire format
 * and refused (400) when the service would refuse it. Faults on demand: a share of requests
 * answered 500 or 429 with Retry-After, and Slack's one message a second per webhook.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { validateChatMessage, type ChatFormat } from './chat-wire-formats.js';

export interface Received {
  path: string;
  format: ChatFormat;
  headers: Record<string, string>;
  body: unknown;
  idempotencyKey: string | undefined;
  /** performance.now() when it arrived. */
  at: number;
  problems: string[];
}

export interface SlackThread {
  channel: string;
  body: Record<string, unknown>;
  updates: Record<string, unknown>[];
  replies: Record<string, unknown>[];
}

export interface FakeChatOptions {
  /** Share of requests answered 500 or 429 (half each), from a seeded generator. */
  faultRate?: number;
  seed?: number;
  /** Retry-After of a 429, in seconds (1). */
  retryAfterSeconds?: number;
  /** Slack incoming webhooks: a message sooner than this after the last to the same URL gets 429. */
  slackWebhookMinIntervalMs?: number;
  /** Bot tokens Slack's Web API takes (any `xoxb-` token when unset). */
  slackTokens?: readonly string[];
}

export interface FakeChat {
  url: string;
  /** Messages taken (2xx), in arrival order. */
  readonly received: Received[];
  /** Requests refused by an injected fault or the rate limit. */
  readonly refused: { path: string; status: number; idempotencyKey: string | undefined }[];
  readonly slackMessages: Map<string, SlackThread>;
  setFaultRate(rate: number): void;
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const FORMATS: readonly ChatFormat[] = ['slack', 'teams', 'googlechat', 'discord', 'mattermost', 'webhook'];

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How each service answers a message it took. */
const ACCEPTED: Record<ChatFormat, { status: number; body: string; type: string }> = {
  slack: { status: 200, body: 'ok', type: 'text/html' },
  teams: { status: 202, body: '', type: 'text/plain' },
  googlechat: { status: 200, body: '{"name":"spaces/AAA/messages/BBB"}', type: 'application/json' },
  discord: { status: 204, body: '', type: 'text/plain' },
  mattermost: { status: 200, body: 'ok', type: 'text/plain' },
  webhook: { status: 200, body: '{"ok":true}', type: 'application/json' },
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeChat(options: FakeChatOptions = {}): Promise<FakeChat> {
  const random = seeded(options.seed ?? 1);
  let faultRate = options.faultRate ?? 0;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const received: Received[] = [];
  const refused: FakeChat['refused'] = [];
  const slackMessages = new Map<string, SlackThread>();
  const lastSlackPost = new Map<string, number>();
  let tsCounter = 0;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());

  const fault = (response: ServerResponse, path: string, key: string | undefined): boolean => {
    if (faultRate <= 0 || random() >= faultRate) return false;
    const status = random() < 0.5 ? 500 : 429;
    refused.push({ path, status, idempotencyKey: key });
    response
      .writeHead(status, status === 429 ? { 'retry-after': retryAfter } : {})
      .end(status === 429 ? 'rate limited' : 'internal error');
    return true;
  };

  const slackApi = (method: string, request: IncomingMessage, body: Record<string, unknown>) => {
    const auth = request.headers.authorization ?? '';
    const token = auth.replace(/^Bearer /, '');
    if (!auth.startsWith('Bearer ')) return { ok: false, error: 'not_authed' };
    if (options.slackTokens ? !options.slackTokens.includes(token) : !token.startsWith('xoxb-'))
      return { ok: false, error: 'invalid_auth' };
    const channel = typeof body['channel'] === 'string' ? body['channel'] : '';
    if (!/^[CGD][A-Z0-9]+$/.test(channel)) return { ok: false, error: 'channel_not_found' };
    const isReply = method === 'chat.postMessage' && typeof body['thread_ts'] === 'string';
    const problems = isReply ? [] : validateChatMessage('slack', body);
    if (typeof body['text'] !== 'string' || body['text'] === '') problems.push('text: required');
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', problems };
    if (method === 'chat.update') {
      const thread = slackMessages.get(String(body['ts']));
      if (!thread || thread.channel !== channel) return { ok: false, error: 'message_not_found' };
      thread.updates.push(body);
      return { ok: true, channel, ts: body['ts'], text: body['text'] };
    }
    if (isReply) {
      const thread = slackMessages.get(String(body['thread_ts']));
      if (!thread) return { ok: false, error: 'thread_not_found' };
      thread.replies.push(body);
    }
    const ts = `1700000000.${String(++tsCounter).padStart(6, '0')}`;
    if (!isReply) slackMessages.set(ts, { channel, body, updates: [], replies: [] });
    return { ok: true, channel, ts, message: { text: body['text'], ts } };
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0]!;
      const key = request.headers['idempotency-key'] as string | undefined;
      const text = await readBody(request);
      if (request.method !== 'POST') return void response.writeHead(405).end();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return void response.writeHead(400).end('invalid_payload');
      }
      if (fault(response, path, key)) return;
      const [, first, second] = path.split('/');
      if (first === 'api' && (second === 'chat.postMessage' || second === 'chat.update')) {
        const answer = slackApi(second, request, body as Record<string, unknown>);
        if (answer.ok) {
          received.push({
            path,
            format: 'slack',
            headers: request.headers as Record<string, string>,
            body,
            idempotencyKey: key,
            at: performance.now(),
            problems: [],
          });
          notify();
        }
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer));
      }
      const format = FORMATS.find((f) => f === first);
      if (!format) return void response.writeHead(404).end('no_service');
      if (format === 'slack' && options.slackWebhookMinIntervalMs !== undefined) {
        const last = lastSlackPost.get(path);
        const now = performance.now();
        if (last !== undefined && now - last < options.slackWebhookMinIntervalMs) {
          refused.push({ path, status: 429, idempotencyKey: key });
          const wait = Math.ceil((options.slackWebhookMinIntervalMs - (now - last)) / 1000);
          return void response.writeHead(429, { 'retry-after': String(wait) }).end('rate_limited');
        }
        lastSlackPost.set(path, now);
      }
      const problems = validateChatMessage(format, body);
      received.push({
        path,
        format,
        headers: request.headers as Record<string, string>,
        body,
        idempotencyKey: key,
        at: performance.now(),
        problems,
      });
      notify();
      if (problems.length > 0)
        return void response.writeHead(400).end(`invalid_payload: ${problems.join('; ')}`);
      const ok = ACCEPTED[format];
      response.writeHead(ok.status, { 'content-type': ok.type }).end(ok.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    refused,
    slackMessages,
    setFaultRate: (rate) => (faultRate = rate),
    waitFor: (predicate, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake chat: not seen in ${timeoutMs} ms (${received.length} messages received)`));
        }, timeoutMs);
        const poll = setInterval(check, 100);
        const cleanup = () => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
