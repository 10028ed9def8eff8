/**
 * Label and annotation text is an alert author's, or an attacker's who controls a label: in
 * every format it must arrive inert. No broadcast (`<!channel>`, `@everyone`, `@here`), no
 * mention, no link, no markup; the message still valid for its service; `javascript:` never a link.
 */
import { describe, expect, it } from 'vitest';

import { MESSAGE_FORMATS, MessageRenderer, type DeliveryPayload } from '@burnrate/notify';

import { activeMarkup, validateChatMessage } from '../support/chat-wire-formats.js';

const HOSTILE = [
  '<!channel>',
  '<!here|here>',
  '<!everyone>',
  '@everyone',
  '@here',
  '@channel',
  '@all',
  '<@U024BE7LH>',
  '<@&123456789>',
  '<#C024BE7LR>',
  '[click me](https://evil.example/phish)',
  '<https://evil.example|innocent>',
  '<a href="https://evil.example">link</a>',
  '<script>alert(1)</script>',
  '**bold** _it_ ~strike~ `code`',
  '~town-square',
  '# heading',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  'https://evil.example/bare www.evil.example',
].join(' ');

const LINKS = {
  dashboard: 'https://grafana.example.com/d/x',
  runbook_url: 'javascript:alert(document.cookie)',
  traces_url: 'https://grafana.example.com/explore?x=1',
};

function hostile(status: 'firing' | 'resolved'): DeliveryPayload {
  const labels = {
    alertname: `Burn ${HOSTILE}`,
    service: `checkout ${HOSTILE}`,
    slo: `availability ${HOSTILE}`,
    severity: `page ${HOSTILE}`,
    team: `payments ${HOSTILE}`,
    pod: HOSTILE,
  };
  return {
    status,
    groupKey: '{}:{service="checkout"}',
    receiver: 'burnrate',
    externalURL: 'https://alertmanager.example.com',
    groupLabels: { service: labels.service },
    commonLabels: labels,
    commonAnnotations: { summary: HOSTILE, description: HOSTILE, ...LINKS },
    truncatedAlerts: 0,
    alerts: [0, 1].map((i) => ({
      status,
      labels: { ...labels, pod: `${HOSTILE} ${i}` },
      annotations: { summary: HOSTILE, description: HOSTILE, ...LINKS },
      startsAt: '2026-12-06T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `f${i}`,
    })),
  };
}

const renderer = new MessageRenderer();
const chatFormats = MESSAGE_FORMATS.filter((f) => f !== 'webhook');

describe('hostile labels and annotations', () => {
  it.each(chatFormats)('arrive inert in %s, in a message the service takes', (format) => {
    for (const status of ['firing', 'resolved'] as const) {
      const body = renderer.render(format, hostile(status), {
        alertmanagerUrl: 'https://alertmanager.example.com',
      }).body;
      expect(validateChatMessage(format, body)).toEqual([]);
      const text = JSON.stringify(body);
      const silence = text.match(
        /https:\/\/alertmanager\.example\.com\/#\/silences\/new\?filter=[^"\s)]+/,
      )?.[0];
      const ours = [LINKS.dashboard, LINKS.traces_url, ...(silence ? [silence] : [])];
      expect(activeMarkup(format, body, ours)).toEqual([]);
      expect(text).not.toContain('javascript:');
      // Teams shows a TextRun's text as it is (Adaptive Cards render no HTML); elsewhere it is escaped.
      if (format !== 'teams') expect(text).not.toMatch(/(^|[^\\])<script/);
    }
  });

  it('reach the generic webhook as the exact data, JSON-escaped and nothing else', () => {
    const body = renderer.render('webhook', hostile('firing'), {}).body;
    // Clipped to 300 characters, otherwise the exact text.
    expect(HOSTILE.startsWith(String(body['summary']).replace(/…$/, ''))).toBe(true);
    expect(String(body['summary']).length).toBeGreaterThan(250);
    expect(String(body['service'])).toMatch(/^checkout <!channel> <!here\|here> <!everyone> @everyone/);
    expect(JSON.stringify(body)).not.toContain('javascript:');
    expect(validateChatMessage('webhook', body)).toEqual([]);
  });

  it('cannot break out of a JSON string in a template', () => {
    const payload = hostile('firing');
    payload.commonAnnotations = { summary: '", "injected": true, "x": "' };
    for (const format of MESSAGE_FORMATS) {
      const body = renderer.render(format, payload, {}).body;
      expect(JSON.stringify(body)).not.toContain('"injected":true');
    }
  });
});
