import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { sizeProblem } from './chat-limits.util.js';
import { MESSAGE_FORMATS, MessageRenderer, TemplateRenderError } from './message-renderer.js';
import type { DeliveryPayload } from './message-view.js';

const reference = (name: string): DeliveryPayload =>
  JSON.parse(
    readFileSync(new URL(`../../../../test/fixtures/formats/${name}`, import.meta.url), 'utf8'),
  ) as DeliveryPayload;

const ANNOTATIONS = {
  summary: 'checkout availability is burning its budget',
  description: 'Errors over 14.4x the budget rate for 1h.',
  dashboard: 'https://grafana.example.com/d/burnrate-checkout/checkout?var-slo=availability',
  runbook_url: 'https://runbooks.example.com/checkout',
  traces_url: 'https://grafana.example.com/explore?left=%7B%22datasource%22%3A%22tempo%22%7D',
};

function group(status: 'firing' | 'resolved', alerts: number): DeliveryPayload {
  return {
    status,
    groupKey: '{}:{service="checkout", slo="availability"}',
    receiver: 'burnrate',
    externalURL: 'http://alertmanager.internal:9093',
    groupLabels: { service: 'checkout', slo: 'availability' },
    commonLabels: { service: 'checkout', slo: 'availability', severity: 'page', team: 'shop' },
    commonAnnotations: ANNOTATIONS,
    truncatedAlerts: 0,
    alerts: Array.from({ length: alerts }, (_, i) => ({
      status,
      labels: {
        alertname: 'SLOBurnRateFast',
        service: 'checkout',
        slo: 'availability',
        severity: 'page',
        team: 'shop',
        pod: `checkout-${i}-${'x'.repeat(40)}`,
      },
      annotations: { ...ANNOTATIONS, summary: `pod ${i} burning ${'y'.repeat(60)}` },
      startsAt: new Date(Date.UTC(2026, 11, 6, 10, 0, i)).toISOString(),
      endsAt: status === 'resolved' ? '2026-12-06T11:00:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `f${i}`,
    })),
  };
}

const renderer = new MessageRenderer();
const options = {
  alertmanagerUrl: 'https://alertmanager.example.com',
  figures: { burnRate1h: 14.4, budgetRemaining: 0.625 },
};
const flat = (body: unknown) => JSON.stringify(body);

describe('chat messages', () => {
  it.each(MESSAGE_FORMATS)(
    '%s: says firing or resolved, names the SLO, links dashboard, runbook, traces and silence',
    (format) => {
      const firing = flat(renderer.render(format, group('firing', 2), options).body);
      for (const url of [ANNOTATIONS.dashboard, ANNOTATIONS.runbook_url, ANNOTATIONS.traces_url])
        expect(firing).toContain(JSON.stringify(url).slice(1, -1));
      expect(firing).toContain('firing: SLO checkout/availability (page)');
      expect(firing).toContain(
        'https://alertmanager.example.com/#/silences/new?filter=' +
          encodeURIComponent('{service="checkout", slo="availability"}'),
      );
      expect(firing).toMatch(/14\.4x/);
      expect(firing).toMatch(/62\.5%/);
      const resolved = flat(renderer.render(format, group('resolved', 2), options).body);
      expect(resolved).toContain('resolved: SLO checkout/availability');
      // Nothing to silence once it is resolved.
      expect(resolved).not.toContain('silences/new');
    },
  );

  it.each(MESSAGE_FORMATS)(
    '%s: 2,000 alerts fit the service by listing what fits and counting the rest',
    (format) => {
      const rendered = renderer.render(format, group('firing', 2000), options);
      expect(sizeProblem(format, rendered.body)).toBeUndefined();
      expect(rendered.count).toBe(2000);
      expect(rendered.shown).toBeGreaterThan(0);
      expect(rendered.shown).toBeLessThan(2000);
      expect(flat(rendered.body)).toContain(`... and ${2000 - rendered.shown} more`);
      // The most that fit: one more alert would not.
      const oneMore = renderer.render(format, group('firing', rendered.shown + 1), options);
      expect(oneMore.shown).toBeLessThanOrEqual(rendered.shown + 1);
    },
  );

  it('counts the alerts Alertmanager truncated (max_alerts) as more', () => {
    const payload = { ...group('firing', 3), truncatedAlerts: 7 };
    const body = flat(renderer.render('webhook', payload, options).body);
    expect(body).toContain('"count":10');
    expect(body).toContain('"more":7');
  });

  it('renders the reference Alertmanager payloads (no SLO labels) with the alert name', () => {
    const body = flat(renderer.render('slack', reference('alertmanager-webhook-v4-firing.json'), {}).body);
    expect(body).toMatch(/firing: SLO /);
  });

  it('uses a team template, escaped the same way, and refuses one that renders no JSON', () => {
    const custom = '{ "text": "{{state}} {{slo}} at {{since}} ({{service}})", "blocks": [] }';
    const hostile = group('firing', 1);
    hostile.commonLabels = { ...hostile.commonLabels, service: '<!channel> "quoted"' };
    const body = renderer.render('slack', hostile, options, custom).body;
    expect(body['text']).toBe('FIRING availability at 2026-12-06T10:00:00Z (&lt;!channel&gt; "quoted")');
    expect(() => renderer.render('slack', hostile, options, '{ "text": {{slo}} }')).toThrow(
      TemplateRenderError,
    );
  });

  it('never turns javascript: or relative annotations into links', () => {
    const payload = group('firing', 1);
    payload.commonAnnotations = { ...ANNOTATIONS, runbook_url: 'javascript:alert(1)', dashboard: '/d/x' };
    const body = flat(renderer.render('discord', payload, options).body);
    expect(body).not.toContain('javascript:');
    expect(body).not.toContain('Dashboard');
  });
});
