import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, loadCatalogFromSources, type Problem } from '@burnrate/catalog';

const latency = (metric: string, threshold: string, buckets?: string) => `apiVersion: burnrate.dev/v1
kind: Team
metadata: { name: payments }
---
apiVersion: burnrate.dev/v1
kind: Service
metadata: { name: checkout, team: payments }
spec:
  slos:
    - name: latency
      objective: 99
      sli:
        latency:
          metric: ${metric}
          threshold: ${threshold}${buckets ? `\n          buckets: ${buckets}` : ''}
`;
const load = (text: string): Problem[] => loadCatalogFromSources([{ file: 'svc.yaml', text }]).problems;

describe('latency thresholds and bucket boundaries', () => {
  it('warns, at the threshold, that 300ms is a boundary of neither default layout, naming the nearest', () => {
    expect(load(latency('http_server_request_duration_seconds', '300ms'))).toEqual([
      expect.objectContaining({
        line: 15,
        column: 22,
        severity: 'warning',
        message: expect.stringMatching(
          /^threshold 300ms: le="0\.3" is not a bucket boundary of OpenTelemetry's default buckets \(seconds\) \(nearest: 0\.25 and 0\.5\) nor of Prometheus clients' default buckets \(nearest: 0\.25 and 0\.5\): .*never alert/,
        ),
      }),
    ]);
  });

  it.each(['250ms', '0.005', '7.5s', '10s'])('accepts %s, a boundary of a default layout', (threshold) => {
    expect(load(latency('http_server_request_duration_seconds', threshold))).toEqual([]);
  });

  it('checks a declared layout instead of the defaults', () => {
    expect(load(latency('http_server_request_duration_seconds', '300ms', '[0.1, 0.3, 1]'))).toEqual([]);
    const [problem] = load(latency('http_server_request_duration_seconds', '250ms', '[0.1, 0.3, 1]'));
    expect(problem?.message).toMatch(
      /not a bucket boundary of the declared buckets \(nearest: 0\.1 and 0\.3\)/,
    );
  });

  it('refuses a layout that does not rise', () => {
    const problems = load(latency('http_server_request_duration_seconds', '300ms', '[0.1, 0.5, 0.3]'));
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      ['error', 'bucket bounds must rise: 0.3 follows 0.5'],
    ]);
  });

  it('does not check native histograms, which interpolate', () => {
    expect(
      load(
        latency('http_server_request_duration_seconds', '300ms').replace(
          'threshold',
          'histogram: native\n          threshold',
        ),
      ),
    ).toEqual([]);
  });

  it("checks literal le bounds of Sloth and OpenSLO queries (Sloth's apiserver example)", async () => {
    const file = join(import.meta.dirname, 'wild', 'openslo', 'sloth-openslo-kubernetes-apiserver.yml');
    const { problems } = await loadCatalog([file]);
    const buckets = problems.filter((p) => /bucket boundary/.test(p.message));
    // le="0.4" is between defaults (the apiserver has its own buckets); le="5" is a default boundary.
    expect(buckets.map((p) => [p.line, p.severity, p.message.slice(0, 80)])).toEqual([
      [48, 'warning', 'le="0.4" is not a bucket boundary of OpenTelemetry\'s default buckets (seconds) ('],
    ]);
  });
});
