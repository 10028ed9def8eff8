import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCatalogFromSources, type Service } from '@burnrate/catalog';

const ERRORS = 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))';
const TOTAL = 'sum(rate(http_requests_total{job="checkout"}[{{.window}}]))';

const TEAM = `apiVersion: burnrate.dev/v1
kind: Team
metadata:
  name: payments
`;

const NATIVE = `apiVersion: burnrate.dev/v1
kind: Service
metadata:
  name: checkout
  team: payments
spec:
  slos:
    - name: availability
      objective: 99.9
      window: 30d
      sli:
        events:
          errorQuery: ${ERRORS}
          totalQuery: ${TOTAL}
`;

const SLOTH = `version: prometheus/v1
service: checkout
labels:
  team: payments
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: ${ERRORS}
        total_query: ${TOTAL}
    alerting:
      name: CheckoutAvailabilityBurn
`;

// OpenSLO counts bad events over all events with bare counter selectors, which Burnrate wraps in sum(rate()).
const OPENSLO = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-errors
spec:
  ratioMetric:
    counter: true
    bad:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{job="checkout",code=~"5.."}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{job="checkout"}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
  labels:
    team: [payments]
spec:
  service: checkout
  indicatorRef: checkout-errors
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`;

const BACKSTAGE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations:
    burnrate.dev/slos: |
      - name: availability
        objective: 99.9
        window: 30d
        sli:
          events:
            errorQuery: ${ERRORS}
            totalQuery: ${TOTAL}
spec:
  type: service
  owner: group:default/payments
`;

function load(file: string, text: string): Service {
  const { catalog, problems } = loadCatalogFromSources([
    { file: 'team.yaml', text: TEAM },
    { file, text },
  ]);
  expect(problems).toEqual([]);
  expect(catalog.services).toHaveLength(1);
  const { source: _s, format: _f, ...service } = catalog.services[0]!;
  return { ...service, slos: service.slos.map(({ source: _src, ...slo }) => slo) } as Service;
}

describe('one SLO written in four formats', () => {
  it('loads into the same model from native, Sloth, OpenSLO and Backstage', () => {
    const native = load('native.yaml', NATIVE);
    expect(load('sloth.yaml', SLOTH)).toEqual(native);
    expect(load('backstage.yaml', BACKSTAGE)).toEqual(native);
    expect(load('openslo.yaml', OPENSLO)).toEqual(native);
  });

  it('reads the parts the formats share into the expected values', () => {
    const slo = load('native.yaml', NATIVE).slos[0]!;
    expect(slo).toMatchObject({
      name: 'availability',
      service: 'checkout',
      team: 'payments',
      objective: 99.9,
      window: { kind: 'rolling', duration: '30d', seconds: 2592000 },
      sli: { kind: 'events', errorQuery: ERRORS, totalQuery: TOTAL },
      alerting: { name: 'CheckoutAvailabilityBurn', page: { enabled: true, severityLabel: 'page' } },
    });
  });
});

describe("Sloth's own examples", () => {
  const examples = [
    'getting-started',
    'kubernetes-apiserver',
    'home-wifi',
    'raw-home-wifi',
    'no-alerts',
    'k8s-getting-started',
  ];

  it.each(examples)('%s.yml loads unchanged with no error', async (name) => {
    const file = `/work/shared/reference/anchors/sloth/examples/${name}.yml`;
    const text = await readFile(
      new URL(`../../../shared/reference/anchors/sloth/examples/${name}.yml`, import.meta.url),
      'utf8',
    ).catch(() => readFile(file, 'utf8'));
    const { catalog, problems } = loadCatalogFromSources([{ file, text }]);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(catalog.services[0]!.slos.length).toBeGreaterThan(0);
  });
});
