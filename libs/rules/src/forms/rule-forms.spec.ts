import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateRules } from '../index.js';
import { aCatalog, aService } from '@burnrate/catalog/testing';

const catalog = aCatalog([
  aService({ telemetry: { loki: { selector: '{app="checkout"}', errorFilter: '|= "error"' } } }),
]);

describe('rule file forms', () => {
  it('wrap groups in a Kubernetes PrometheusRule, with its namespace and selector labels', () => {
    const files = generateRules(catalog, {
      grafanaUrl: 'http://g',
      promtoolTests: true,
      form: 'prometheus-rule',
      kubernetes: { namespace: 'monitoring', labels: { release: 'kps' } },
    });
    const doc = parseYaml(files[0]!.content) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      spec: { groups: unknown[] };
    };
    expect(doc).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'burnrate-checkout', namespace: 'monitoring' },
    });
    expect(doc.metadata.labels).toMatchObject({ release: 'kps', 'app.kubernetes.io/managed-by': 'burnrate' });
    expect(doc.spec.groups).toHaveLength(2);
    // promtool reads only plain rule files
    expect(files.some((f) => f.path.endsWith('.test.yaml'))).toBe(false);
  });

  it('write mimirtool/lokitool namespace files in ruler form', () => {
    const files = generateRules(catalog, { grafanaUrl: 'http://g', promtoolTests: false, form: 'ruler' });
    for (const file of files)
      expect((parseYaml(file.content) as { namespace: string }).namespace).toBe('payments.checkout');
    expect(files.map((f) => f.path)).toEqual([
      'rules/prometheus/payments/checkout.yaml',
      'rules/loki/payments/checkout.yaml',
    ]);
  });
});
