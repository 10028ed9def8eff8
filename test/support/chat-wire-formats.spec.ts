/** The wire-format checks of the fake chat service hold the real samples and refuse what the services refuse. */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { activeMarkup, validateChatMessage, type ChatFormat } from './chat-wire-formats.js';

const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/formats/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const SAMPLES: [ChatFormat, string][] = [
  ['slack', 'slack-incoming-webhook-blocks.json'],
  ['slack', 'slack-incoming-webhook-attachment-color.json'],
  ['teams', 'teams-workflows-adaptive-card.json'],
  ['googlechat', 'google-chat-webhook-cardsv2.json'],
  ['discord', 'discord-webhook-embeds.json'],
  ['mattermost', 'mattermost-incoming-webhook.json'],
];

describe('chat wire formats', () => {
  it.each(SAMPLES)('%s takes the real sample %s', (format, name) => {
    expect(validateChatMessage(format, sample(name))).toEqual([]);
  });

  it('refuses what each service refuses', () => {
    const slack = sample('slack-incoming-webhook-blocks.json');
    expect(validateChatMessage('slack', { ...slack, blocks: Array(51).fill({ type: 'divider' }) })).toEqual([
      'blocks: 51 blocks, Slack allows 50',
    ]);
    expect(validateChatMessage('slack', { blocks: [] })).toContain(
      'text: required (the notification fallback)',
    );

    const discord = sample('discord-webhook-embeds.json');
    const embed = (discord['embeds'] as Record<string, unknown>[])[0]!;
    const long = {
      ...discord,
      embeds: [
        { ...embed, description: 'x'.repeat(4000) },
        { title: 'y'.repeat(250), description: 'z'.repeat(2000) },
      ],
    };
    expect(validateChatMessage('discord', long).join()).toMatch(/characters in all; Discord allows 6,000/);
    const { allowed_mentions: _, ...open } = discord;
    expect(validateChatMessage('discord', open).join()).toMatch(/allowed_mentions/);

    const teams = sample('teams-workflows-adaptive-card.json');
    const card = (teams['attachments'] as { content: Record<string, unknown> }[])[0]!;
    const v15 = { ...teams, attachments: [{ ...card, content: { ...card.content, version: '1.5' } }] };
    expect(validateChatMessage('teams', v15).join()).toMatch(/1\.4 at most/);
    const big = {
      ...teams,
      attachments: [
        { ...card, content: { ...card.content, body: [{ type: 'TextBlock', text: 'x'.repeat(29 * 1024) }] } },
      ],
    };
    expect(validateChatMessage('teams', big).join()).toMatch(/Teams takes 28 KB/);
  });

  it('sees mentions, links and markup in text, and not once they are escaped', () => {
    expect(activeMarkup('discord', { content: 'hi @everyone see [x](https://evil.example)' })).toEqual([
      'content: a broadcast mention',
      'content: a bare link',
      'content: a markdown link',
    ]);
    expect(
      activeMarkup('discord', { content: 'hi @\u2060everyone see \\[x\\](https:\u2060//evil.example)' }),
    ).toEqual([]);
    expect(activeMarkup('slack', { text: '<!channel> now' })).toEqual(['text: a Slack control sequence']);
    expect(activeMarkup('slack', { text: '&lt;!channel&gt; now' })).toEqual([]);
    expect(activeMarkup('googlechat', { text: '<a href="x">y</a>' })).toEqual(['text: an HTML tag']);
  });
});
