import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFromSources } from '@burnrate/catalog';
import { isAlertingRule, prometheusRuleSets, resolveRulesOptions, toYaml } from '@burnrate/rules';
import { alertPolicy } from '@burnrate/slo';
import { promtool } from '../rules/promtool.util.js';
import { expectProblems, load, slos, text, type Expected } from './wild.util.js';

const NO_TEAM = 'names no team';

describe('OpenSLO as written in the wild', () => {
  it('reads a YAML list of objects, ignoring free-form metricSource.spec fields (go-sdk decode test data)', async () => {
    const { catalog, problems } = await load('openslo/go-sdk-v1-slos.yaml');
    expectProblems(problems, [[1, 3, 'warning', NO_TEAM]]);
    expect(slos(catalog)).toMatchObject([
      {
        name: 'foo-slo',
        service: 'foo',
        objective: 98,
        window: { kind: 'rolling', duration: '30d' },
        sli: {
          kind: 'goodTotal',
          goodQuery: 'sum(rate(http_requests_total{status_code="200"}[{{.window}}]))',
          totalQuery: 'sum(rate(http_requests_total{}[{{.window}}]))',
        },
      },
    ]);
  });

  it.each([
    'openslo/oslo-list-of-services.yaml',
    'openslo/oslo-two-documents.yaml',
    'openslo/go-sdk-v1alpha-services.yaml',
    'openslo/sloctl-service.yaml',
  ])('%s (Services, some without spec, as lists or documents) loads without a problem', async (file) => {
    const { catalog, problems } = await load(file);
    expectProblems(problems, []);
    expect(catalog.services).toEqual([]);
  });

  it('maps burnrate AlertConditions onto tiers whose factor is the threshold (lenny)', async () => {
    const { catalog, problems } = await load('openslo/lenny-openslo.yaml');
    expectProblems(problems, [
      [23, 18, 'warning', 'fixed range [1h] is read as each alert window'],
      [28, 18, 'warning', 'fixed range [1h] is read as each alert window'],
      [30, 1, 'warning', NO_TEAM],
      [54, 9, 'warning', 'ignored notificationTargets (lenny-slo-notifications)'],
      [63, 15, 'warning', 'alertAfter 1h is ignored'],
      [79, 9, 'warning', 'ignored notificationTargets (lenny-slo-notifications)'],
      [88, 15, 'warning', 'alertAfter 6h is ignored'],
    ]);
    const [slo] = slos(catalog);
    expect(slo).toMatchObject({
      name: 'session-creation-success-rate',
      objective: 99.5,
      labels: { deployment_tier: 'tier1' },
      sli: { kind: 'goodTotal', goodQuery: expect.stringContaining('status_class!="5xx"}[{{.window}}]))') },
    });
    expect(slo!.alerting.tiers).toMatchObject([
      { severity: 'page', longWindow: '1h', shortWindow: '5m' },
      { severity: 'ticket', longWindow: '6h', shortWindow: '30m', budgetPercent: 2.5 },
    ]);
    // The spec's severities stay the alerts' severity labels, for the routes written on them.
    expect(slo!.alerting.page.severityLabel).toBe('critical');
    expect(slo!.alerting.ticket.severityLabel).toBe('warning');
    const policy = alertPolicy(slo!, catalog.defaults.tiers);
    expect(policy.tiers.map((t) => [t.severity, t.longWindow, t.factor])).toEqual([
      ['page', '1h', 14],
      ['ticket', '6h', 3],
    ]);
  });

  it('warns about policies and conditions no SLO uses (go-sdk examples and test data)', async () => {
    const { problems } = await load('openslo/go-sdk-v1-alert-policies-keep-refs.yaml');
    expectProblems(problems, [
      [4, 11, 'warning', 'AlertPolicy `single-referenced-object` is named by no SLO'],
    ]);
    const conditions = await load('openslo/go-sdk-v1-alert-conditions.yaml');
    expectProblems(conditions.problems, [
      [4, 11, 'warning', 'AlertCondition `cpu-usage-breach` is named by no AlertPolicy'],
      [24, 11, 'warning', 'AlertCondition `latency-too-high` is named by no AlertPolicy'],
    ]);
  });

  const sloUsing = (policy: string) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
  labels: { team: [payments] }
spec:
  service: checkout
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
  indicator:
    metadata: { name: errors }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{code=~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total' } } }
  alertPolicies:
    - alertPolicyRef: ${policy}
---
apiVersion: burnrate.dev/v1
kind: Team
metadata: { name: payments }
`;

  it("maps sloctl's policy and its `High` condition in other files onto one page tier", async () => {
    const sources = await Promise.all(
      ['openslo/sloctl-alert-condition.yaml', 'openslo/sloctl-alert-policy.yaml'].map(async (f) => ({
        file: f,
        text: await text(f),
      })),
    );
    const { catalog, problems } = loadCatalogFromSources([
      ...sources,
      { file: 'slo.yaml', text: sloUsing('low-priority-2') },
    ]);
    expectProblems(problems, [[4, 11, 'warning', 'ignored notificationTargets (on-call-mail-notification)']]);
    expect(problems[0]!.file).toBe('openslo/sloctl-alert-policy.yaml');
    const [slo] = slos(catalog);
    expect(slo!.alerting.tiers).toEqual([
      { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetPercent: expect.closeTo(400 / 720, 12) },
    ]);
    expect(slo!.alerting.page.severityLabel).toBe('High');
    expect(alertPolicy(slo!, catalog.defaults.tiers).tiers.map((t) => t.factor)).toEqual([4]);
  });

  it('names the condition it cannot map and keeps the default tiers (go-sdk `op: lte`)', async () => {
    const { catalog, problems } = loadCatalogFromSources([
      { file: 'policies.yaml', text: await text('openslo/go-sdk-v1-alert-policies-keep-refs.yaml') },
      { file: 'slo.yaml', text: sloUsing('single-referenced-object') },
    ]);
    expectProblems(problems, [
      [4, 11, 'warning', 'ignored notificationTargets (devs-email-notification)'],
      [14, 11, 'warning', 'alertAfter 5m is ignored'],
      [14, 11, 'warning', 'op `lte` fires while the budget burns slower'],
      [1, 1, 'warning', "the catalog's default tiers apply"],
    ]);
    expect(slos(catalog)[0]!.alerting.tiers).toBeUndefined();
  });

  it("reads openslo/v1alpha as Sloth does: one SLO per objective (Sloth's examples)", async () => {
    const { catalog, problems } = await load(
      'openslo/sloth-openslo-getting-started.yml',
      'openslo/sloth-openslo-kubernetes-apiserver.yml',
    );
    expectProblems(problems, [
      [6, 1, 'warning', 'service `my-service` names no team'],
      [8, 1, 'warning', 'service `k8s-apiserver` names no team'],
      // The apiserver's histogram has custom buckets (0.4 is one), which an OpenSLO file cannot declare.
      [48, 73, 'warning', 'le="0.4" is not a bucket boundary of OpenTelemetry\'s default buckets'],
    ]);
    expect(slos(catalog).map((s) => [s.service, s.name, s.objective, s.window])).toEqual([
      [
        'k8s-apiserver',
        'requests-availability-openslo',
        99.9,
        { kind: 'rolling', duration: '30d', seconds: 2592000 },
      ],
      [
        'k8s-apiserver',
        'requests-latency-openslo-0',
        99,
        { kind: 'rolling', duration: '30d', seconds: 2592000 },
      ],
      [
        'k8s-apiserver',
        'requests-latency-openslo-1',
        99.9,
        { kind: 'rolling', duration: '30d', seconds: 2592000 },
      ],
      ['my-service', 'sloth-slo-my-service', 99.9, { kind: 'rolling', duration: '30d', seconds: 2592000 }],
    ]);
    expect(slos(catalog)[1]!.sli).toMatchObject({
      kind: 'goodTotal',
      goodQuery: expect.stringContaining('le="0.4"'),
    });
  });

  it("refuses what Burnrate cannot measure in oslo's v1alpha test data, each at its place", async () => {
    const { problems } = await load('openslo/oslo-validate-v1alpha.yaml');
    expectProblems(problems, [
      [4, 11, 'error', 'name `my-rad service` is not safe'],
      [19, 20, 'error', 'budgetingMethod `Timeslices` is not supported'],
      [26, 16, 'error', 'no `{{.window}}` placeholder'],
      [31, 16, 'error', 'no `{{.window}}` placeholder'],
      [49, 5, 'error', 'threshold metrics are not supported'],
      [54, 7, 'error', 'missing required field `ratioMetrics`'],
    ]);
    const spec = await load('openslo/openslo-spec-occurrences-slo.yaml');
    expectProblems(spec.problems, [[16, 9, 'error', 'threshold metrics are not supported']]);
  });
});

describe('Sloth as written in the wild', () => {
  const undeclared = (line: number, column: number): Expected => [line, column, 'warning', 'is not declared'];

  it.each([
    ['sloth/getting-started.yml', 4, 10],
    ['sloth/k8s-getting-started.yml', 14, 12],
  ])('%s keeps the `owner` label on its alerts besides `team`', async (file, line, column) => {
    const { catalog, problems } = await load(file);
    expectProblems(problems, [undeclared(line, column)]);
    const [service] = catalog.services;
    expect(service).toMatchObject({
      name: 'myservice',
      team: 'myteam',
      labels: { owner: 'myteam', tier: '2' },
    });
    const sets = prometheusRuleSets(
      catalog,
      resolveRulesOptions({ grafanaUrl: 'http://grafana:3000', promtoolTests: false }),
    );
    const alerts = sets.flatMap((s) => s.groups.flatMap((g) => g.rules)).filter(isAlertingRule);
    const burn = alerts.filter((a) => a.alert === 'MyServiceHighErrorRate');
    expect(burn.map((a) => [a.labels?.owner, a.labels?.team, a.labels?.severity])).toEqual([
      ['myteam', 'myteam', 'pageteam'],
      ['myteam', 'myteam', 'slack'],
    ]);
  });

  it('names each SLO plugin it ignores (slo_plugins, plugins, sloPlugins)', async () => {
    const plain = await load('sloth/slo-plugin-getting-started.yml');
    const debug = 'Sloth SLO plugin `sloth.dev/core/debug/v1` is ignored';
    expectProblems(plain.problems, [
      undeclared(4, 10),
      ...[
        [9, 11],
        [12, 11],
        [23, 15],
        [26, 15],
        [29, 15],
        [32, 15],
        [35, 15],
      ].map(([l, c]): Expected => [l!, c!, 'warning', debug]),
    ]);
    expect(slos(plain.catalog).map((s) => s.name)).toEqual(['requests-availability']);
    const k8s = await load('sloth/slo-plugin-k8s-getting-started.yml');
    expect(k8s.problems.filter((p) => p.message.includes(debug))).toHaveLength(7);
    expect(slos(k8s.catalog)).toHaveLength(1);
    const contrib = await load('sloth/contrib-slo-plugins.yml');
    expectProblems(contrib.problems, [
      undeclared(4, 10),
      [14, 15, 'warning', 'plugin `sloth.dev/contrib/info_labels/v1` is ignored'],
      [45, 15, 'warning', 'plugin `sloth.dev/contrib/rule_intervals/v1` is ignored'],
    ]);
  });

  it.each([
    ['sloth/plugin-getting-started.yml', 14, 9, 'getting_started_availability'],
    ['sloth/in-sli-plugin.yaml', 12, 9, 'integration_test'],
  ])('%s: an SLI plugin is refused by its id', async (file, line, column, id) => {
    const { problems } = await load(file);
    expectProblems(problems, [
      undeclared(4, 10),
      [line, column, 'error', `Sloth SLI plugin \`${id}\` cannot compute`],
    ]);
  });

  it('refuses an empty alerting.name as the native format does', async () => {
    const spec = (await text('sloth/getting-started.yml')).replace(
      'name: MyServiceHighErrorRate',
      'name: ""',
    );
    const { problems } = loadCatalogFromSources([{ file: 'sloth.yaml', text: spec }]);
    expectProblems(problems, [undeclared(4, 10), [17, 13, 'error', 'alerting.name is empty']]);
  });

  it('loads the multi-document CRD file and the no-alerts spec', async () => {
    const { catalog, problems } = await load(
      'sloth/k8s-multifile.yml',
      'sloth/no-alerts.yml',
      'sloth/home-wifi.yml',
    );
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(catalog.services.map((s) => [s.name, s.team, s.labels.owner, s.slos.length])).toEqual([
      ['home-wifi', 'unowned', undefined, 2],
      ['myapp', 'myteam', 'myteam', 1],
      ['myservice', 'myteam', 'myteam', 1],
      ['myservice2', 'myteam2', 'myteam2', 1],
    ]);
    const noAlerts = catalog.services.find((s) => s.name === 'myapp')!.slos[0]!.alerting;
    expect([noAlerts.page.enabled, noAlerts.ticket.enabled]).toEqual([false, false]);
  });
});

describe('Backstage catalog-info files as written in the wild', () => {
  const files = [
    'backstage/backstage-catalog-info.yaml',
    'backstage/backstage-different-namespace.yaml',
    'backstage/backstage-playback-order.yaml',
    'backstage/community-tech-radar.yaml',
    'backstage/openedx-ledger.yaml',
    'backstage/openedx-xblock-sdk.yaml',
  ];

  it('components without SLOs load with no team check and no warning (owners CNCF, john@example.com...)', async () => {
    const { catalog, problems } = await load(...files);
    expectProblems(problems, []);
    expect(catalog.services).toEqual([]);
  });

  /** The real file with an SLO added, since no public component declares Burnrate SLOs. */
  const withSlo = (yaml: string, owner?: string) => {
    const annotation = `    burnrate.dev/slos: |
      - name: availability
        objective: 99.5
        sli:
          raw: { errorRatioQuery: '1 - avg_over_time(up{job="x"}[{{.window}}])' }
`;
    const annotated = yaml.includes('  annotations:\n')
      ? yaml.replace('  annotations:\n', `  annotations:\n${annotation}`)
      : yaml.replace('metadata:\n', `metadata:\n  annotations:\n${annotation}`);
    return owner ? annotated.replace(/owner: .*/, `owner: ${owner}`) : annotated;
  };
  const teams =
    'apiVersion: burnrate.dev/v1\nkind: Team\nmetadata: { name: cncf }\n---\napiVersion: burnrate.dev/v1\nkind: Team\nmetadata: { name: guest }\n';

  it.each([undefined, 'group:default/cncf', 'group:cncf', 'Group:Default/CNCF', 'cncf'])(
    'owner %s names the team cncf',
    async (owner) => {
      const yaml = withSlo(await text('backstage/backstage-catalog-info.yaml'), owner);
      const { catalog, problems } = loadCatalogFromSources([
        { file: 'catalog-info.yaml', text: yaml },
        { file: 'teams.yaml', text: teams },
      ]);
      expectProblems(problems, []);
      expect(catalog.services.map((s) => [s.name, s.team, s.slos.length])).toEqual([
        ['backstage-existing', 'cncf', 1],
      ]);
    },
  );

  it('maps user and namespaced owners, and refuses one that names no safe team', async () => {
    const guest = withSlo(await text('backstage/backstage-playback-order.yaml'));
    const namespaced = withSlo(await text('backstage/backstage-different-namespace.yaml'));
    const mail = withSlo(await text('backstage/community-tech-radar.yaml'));
    const { catalog, problems } = loadCatalogFromSources([
      { file: 'a.yaml', text: guest },
      { file: 'b.yaml', text: namespaced },
      { file: 'c.yaml', text: mail },
      { file: 'teams.yaml', text: teams },
    ]);
    expectProblems(problems, [
      [16, 10, 'warning', 'team `team-a` is not declared'],
      [
        18,
        10,
        'error',
        'owner `john@example.com` names `john@example.com`, which is not safe as a team name',
      ],
    ]);
    expect(catalog.services.map((s) => [s.name, s.team])).toEqual([
      ['different-namespace', 'team-a'],
      ['playback-order', 'guest'],
    ]);
  });
});

describe('rules generated from the wild files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'burnrate-wild-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pass promtool check rules, with the OpenSLO tiers and the Sloth owner label', async () => {
    const { catalog } = await load(
      'openslo/lenny-openslo.yaml',
      'sloth/getting-started.yml',
      'sloth/k8s-multifile.yml',
    );
    const sets = prometheusRuleSets(
      catalog,
      resolveRulesOptions({ grafanaUrl: 'http://grafana:3000', promtoolTests: false }),
    );
    const files: string[] = [];
    for (const [i, set] of sets.entries()) {
      const file = join(dir, `${i}-${set.service.name}.yaml`);
      await writeFile(file, toYaml({ groups: set.groups }));
      files.push(file);
    }
    const result = await promtool('check', 'rules', ...files);
    expect(result.ok, result.output).toBe(true);
    const lenny = sets.find((s) => s.service.name === 'lenny')!;
    const page = lenny.groups
      .flatMap((g) => g.rules)
      .filter(isAlertingRule)
      .find((r) => r.labels?.severity === 'critical');
    // 14x the 0.5% budget over 1h and 5m.
    expect(page?.expr).toContain('> 0.07');
  });
});
