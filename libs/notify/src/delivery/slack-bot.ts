import type { DataSource } from 'typeorm';

import type { ChatAnswer } from './chat-transport.js';

/** Where a group's message is in Slack: kept so its resolve updates it in place. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

/** `slack_message`: one posted message per destination and alert group. */
export class SlackMessageStore {
  constructor(private readonly dataSource: DataSource) {}

  async find(destinationKey: string, groupKey: string): Promise<SlackMessageRef | undefined> {
    const rows: SlackMessageRef[] = await this.dataSource.query(
      `SELECT channel, ts FROM slack_message WHERE destination_key = $1 AND group_key = $2`,
      [destinationKey, groupKey],
    );
    return rows[0];
  }

  async save(destinationKey: string, groupKey: string, ref: SlackMessageRef): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO slack_message (destination_key, group_key, channel, ts) VALUES ($1, $2, $3, $4)
       ON CONFLICT (destination_key, group_key) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts, updated_at = now()`,
      [destinationKey, groupKey, ref.channel, ref.ts],
    );
  }

  /** After a resolve: the group's next firing is a new message. */
  async forget(destinationKey: string, groupKey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM slack_message WHERE destination_key = $1 AND group_key = $2`, [
      destinationKey,
      groupKey,
    ]);
  }
}

/** A message for a Slack bot destination. */
export interface SlackBotMessage {
  token: string;
  channel: string;
  status: 'firing' | 'resolved';
  /** The rendered Slack message (text, blocks, attachments). */
  body: Record<string, unknown>;
  /** The short threaded reply a resolve adds under the original message. */
  replyText: string;
  destinationKey: string;
  groupKey: string;
  idempotencyKey: string;
}

/** Slack errors that pass: retried with backoff. Any other `ok: false` is a refusal (parked). */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

interface SlackReply {
  answer: ChatAnswer;
  ts?: string;
  channel?: string;
  error?: string;
}

/**
 * Slack's Web API for bot destinations: a firing is posted with `chat.postMessage` and its `ts`
 * kept; the group's resolve rewrites that message with `chat.update` and adds a threaded reply.
 * Incoming webhooks can do neither. A resolve whose firing was never posted (parked, or sent
 * before the bot was configured) is posted as a new message.
 */
export class SlackBot {
  constructor(
    private readonly apiUrl: string,
    private readonly messages: SlackMessageStore,
    private readonly timeoutMs: number,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async deliver(message: SlackBotMessage): Promise<ChatAnswer> {
    const existing = await this.messages.find(message.destinationKey, message.groupKey);
    if (existing) {
      const updated = await this.call('chat.update', message, {
        ...message.body,
        channel: existing.channel,
        ts: existing.ts,
      });
      if (updated.error !== 'message_not_found' && updated.error !== 'cant_update_message') {
        if (updated.answer.status !== 200 || message.status === 'firing') return updated.answer;
        const reply = await this.call('chat.postMessage', message, {
          channel: existing.channel,
          thread_ts: existing.ts,
          text: message.replyText,
        });
        if (reply.answer.status === 200) await this.messages.forget(message.destinationKey, message.groupKey);
        return reply.answer;
      }
    }
    const posted = await this.call('chat.postMessage', message, {
      ...message.body,
      channel: message.channel,
    });
    if (posted.answer.status === 200 && posted.ts && message.status === 'firing')
      await this.messages.save(message.destinationKey, message.groupKey, {
        channel: posted.channel ?? message.channel,
        ts: posted.ts,
      });
    return posted.answer;
  }

  private async call(
    method: string,
    message: SlackBotMessage,
    body: Record<string, unknown>,
  ): Promise<SlackReply> {
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(new URL(method, this.apiUrl), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${message.token}`,
          'content-type': 'application/json; charset=utf-8',
          'idempotency-key': message.idempotencyKey,
          'user-agent': 'burnrate',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      return {
        answer: {
          status: 0,
          retryAfter: null,
          error: error instanceof Error ? error.message : String(error),
        },
      };
    }
    const retryAfter = response.headers.get('retry-after');
    if (!response.ok)
      return { answer: { status: response.status, retryAfter, error: `${method}: ${text.slice(0, 200)}` } };
    let reply: { ok?: boolean; ts?: string; channel?: string; error?: string };
    try {
      reply = JSON.parse(text) as typeof reply;
    } catch {
      return { answer: { status: 502, retryAfter: null, error: `${method}: Slack did not answer JSON` } };
    }
    if (reply.ok) return { answer: { status: 200, retryAfter: null }, ...reply };
    const error = reply.error ?? 'unknown_error';
    return {
      answer: { status: TRANSIENT.has(error) ? 503 : 400, retryAfter, error: `${method}: ${error}` },
      error,
    };
  }
}
