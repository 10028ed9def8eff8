import type { BurnTier, Service, Severity, Slo } from '@burnrate/catalog';
import { formatDecimal, formatDuration, LABEL, roundDecimal } from '@burnrate/slo';
import { burnRateAlert, sortKeys } from '../prometheus/alert-rules.util.js';
import { groupLabels } from '../prometheus/sli-rules.util.js';
import { type AlertValue, renderAnnotations } from './annotation-template.util.js';
import { absentTests } from './absent-tests.js';
import { planSlo, type SloPlan } from '../prometheus/service-rules.js';
import type { ResolvedRulesOptions } from '../rules-options.js';
import { rawWindowRatio } from '../prometheus/window-rules.util.js';
import {
  type InputSeries,
  type Load,
  rawInputSeries,
  recordedInputSeries,
  seriesText,
} from './input-series.util.js';

const EVAL_MINUTES = 30;
const LOAD_MINUTES = EVAL_MINUTES + 10;

export interface PromtoolTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: PromtoolTest[];
}

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}

interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}

interface PromtoolTest {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

/** A constant load and what it must set off once every window holds nothing but it. */
interface Scenario {
  name: string;
  errorRatio: number;
  idle?: boolean;
}

/**
 * A promtool test file proving each SLO's alerts: healthy fires nothing, a fast burn pages, a
 * slow burn opens a ticket without paging, and no traffic (0/0) fires nothing. Loads are
 * constant from t=0, so at 30m every window holds only that load whatever its length.
 */
export function promtoolTests(
  service: Service,
  ruleFile: string,
  defaultTiers: readonly BurnTier[],
  options: ResolvedRulesOptions,
): PromtoolTestFile | undefined {
  const plans = service.slos.map((slo) => planSlo(slo, defaultTiers));
  const tests = plans.flatMap((plan) => [
    ...sloTests(service, plan, plans, options),
    ...absentTests(service, plan.slo, options),
  ]);
  if (tests.length === 0) return undefined;
  return { rule_files: [ruleFile], evaluation_interval: options.fastInterval, tests };
}

function sloTests(
  service: Service,
  plan: SloPlan,
  plans: SloPlan[],
  options: ResolvedRulesOptions,
): PromtoolTest[] {
  const { slo, policy } = plan;
  if (policy.tiers.length === 0) return [];
  const eventsPerSecond = Math.max(
    10,
    ...policy.page.map((t) => (2 * (slo.alerting.minEvents ?? 0)) / t.longSeconds),
  );
  return scenarios(plan).flatMap((scenario) => {
    const load: Load = {
      eventsPerSecond: scenario.idle ? 0 : eventsPerSecond,
      errorRatio: scenario.errorRatio,
      minutes: LOAD_MINUTES,
    };
    const raw = rawInputSeries(slo.sli, load);
    // Fed series collide with what a constant-yielding query (`or vector(0)`) writes at the same instant.
    if (!raw && scenario.errorRatio !== 0 && yieldsWithoutInput(slo)) return [];
    const input = raw ?? recordedInputSeries(slo, load, rawWindows(plan));
    const checks = alertChecks(service, plan, plans, scenario, input, options);
    if (!checks) return [];
    return [
      {
        name: `${slo.name}: ${scenario.name}${raw ? '' : ' (fed from the recorded 5m series)'}`,
        interval: '1m',
        input_series: input,
        ...checks,
      },
    ];
  });
}

/** The plan's windows whose ratio reads raw series (fed directly when the inputs are not known). */
const rawWindows = ({ slo, fastWindows, slowWindows }: SloPlan): string[] =>
  [...fastWindows, ...slowWindows].filter((s) => rawWindowRatio(slo, s)).map(formatDuration);

/**
 * What fires at the eval time, for every alert name the scenario can set off: this SLO's, and
 * that of each SLO of the service reading the very same SLI (it sees the same load). Undefined
 * when an SLO with a different SLI shares an alert name and reads the same metrics: what it
 * fires is not known here. Alerts whose annotations cannot be rendered here are checked on
 * their labels through `ALERTS`.
 */
function alertChecks(
  service: Service,
  plan: SloPlan,
  plans: SloPlan[],
  scenario: Scenario,
  input: InputSeries[],
  options: ResolvedRulesOptions,
): Pick<PromtoolTest, 'alert_rule_test' | 'promql_expr_test'> | undefined {
  const sli = JSON.stringify(plan.slo.sli);
  const same = plans.filter((p) => JSON.stringify(p.slo.sli) === sli);
  const names = [...new Set(same.map((p) => p.slo.alerting.name))];
  const metrics = input.map((s) => /^[^{]+/.exec(s.series)![0]);
  const unknown = plans.some(
    (p) =>
      names.includes(p.slo.alerting.name) &&
      JSON.stringify(p.slo.sli) !== sli &&
      metrics.some((m) => JSON.stringify(p.slo.sli).includes(m)),
  );
  if (unknown) return undefined;
  const group = groupOf(plan.slo, input);
  // Every window reads the load's ratio: exactly 1 in an outage, to float noise otherwise.
  const value: AlertValue = { value: scenario.errorRatio, exact: scenario.errorRatio === 1 };
  const alertRuleTest: AlertRuleTest[] = [];
  const exprTest: PromqlExprTest[] = [];
  for (const name of names) {
    const expected = same
      .filter((p) => p.slo.alerting.name === name)
      .flatMap((p) =>
        (scenario.idle ? [] : severitiesAt(p, scenario.errorRatio)).map((severity) =>
          expectedAlert(service, p, severity, group, value, options),
        ),
      );
    if (expected.every((e) => e !== undefined)) {
      alertRuleTest.push({ eval_time: `${EVAL_MINUTES}m`, alertname: name, exp_alerts: expected });
    } else {
      const samples = same
        .filter((p) => p.slo.alerting.name === name)
        .flatMap((p) =>
          (scenario.idle ? [] : severitiesAt(p, scenario.errorRatio)).map((severity) =>
            alertLabelsOf(service, p, severity, group, options),
          ),
        )
        .map((labels) => ({
          labels: seriesText('ALERTS', sortKeys({ ...labels, alertname: name, alertstate: 'firing' })),
          value: 1,
        }));
      exprTest.push({
        expr: `ALERTS{alertname=${JSON.stringify(name)}, alertstate="firing"}`,
        eval_time: `${EVAL_MINUTES}m`,
        exp_samples: samples,
      });
    }
  }
  return {
    ...(alertRuleTest.length > 0 ? { alert_rule_test: alertRuleTest } : {}),
    ...(exprTest.length > 0 ? { promql_expr_test: exprTest } : {}),
  };
}

/** A grouped SLI's own labels as the input series set them. */
function groupOf(slo: Slo, input: InputSeries[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of groupLabels(slo.sli)) {
    const match = input.map((s) => new RegExp(`[{,]\\s*${label}="([^"]*)"`).exec(s.series)).find((m) => m);
    if (match) out[label] = match[1]!;
  }
  return out;
}

function scenarios(plan: SloPlan): Scenario[] {
  const { page, ticket, tiers } = plan.policy;
  const minThreshold = (ts: typeof tiers) => Math.min(...ts.map((t) => t.threshold));
  const lowest = minThreshold(tiers);
  // A 0/1 gauge shows only 0% and 100% errors in 40 samples; other loads go through the recorded series.
  const healthy = plan.slo.sli.kind === 'gauge' ? 0 : Number((lowest / 2).toPrecision(2));
  const out: Scenario[] = [
    { name: `healthy (error ratio ${formatDecimal(healthy)}) fires nothing`, errorRatio: healthy },
  ];
  if (page.length > 0 && minThreshold(page) < 1) {
    const ratio = Math.min(1, roundDecimal(2 * minThreshold(page)));
    if (ratio < 1)
      out.push({ name: `fast burn (error ratio ${formatDecimal(ratio)}) pages`, errorRatio: ratio });
    out.push({ name: 'outage (every event fails) pages', errorRatio: 1 });
  }
  if (ticket.length > 0) {
    const low = minThreshold(ticket);
    const high = page.length > 0 ? minThreshold(page) : Math.min(1, low * 4);
    if (low < high) {
      const mean = Math.sqrt(low * high);
      const round = Number(mean.toPrecision(2));
      const ratio = round > low && round < high ? round : roundDecimal(mean);
      out.push({
        name: `slow burn (error ratio ${formatDecimal(ratio)}) opens a ticket${page.length > 0 ? ' and never pages' : ''}`,
        errorRatio: ratio,
      });
    }
  }
  // A 0/1 gauge without samples is absent, not idle: the absent alert covers it.
  if (plan.source.kind !== 'ratio' && plan.slo.sli.kind !== 'gauge')
    out.push({ name: 'no traffic (0/0) fires nothing', errorRatio: 0, idle: true });
  return out;
}

/** Free-form queries with constants (`or on() vector(0)`) return data even with no input series. */
function yieldsWithoutInput(slo: Slo): boolean {
  const sli = slo.sli;
  const queries =
    sli.kind === 'events'
      ? [sli.errorQuery, sli.totalQuery]
      : sli.kind === 'goodTotal'
        ? [sli.goodQuery, sli.totalQuery]
        : sli.kind === 'raw'
          ? [sli.errorRatioQuery]
          : [];
  return queries.some((q) => /\bvector\s*\(/.test(q));
}

function severitiesAt(plan: SloPlan, errorRatio: number): Severity[] {
  return (['page', 'ticket'] as const).filter((severity) =>
    plan.policy[severity].some((t) => errorRatio > t.threshold),
  );
}

/** The labels of the query's result: what `$labels` holds in an annotation template. */
const outputLabels = (slo: Slo, group: Record<string, string>): Record<string, string> => ({
  ...group,
  [LABEL.service]: slo.service,
  [LABEL.slo]: slo.name,
});

function alertLabelsOf(
  service: Service,
  plan: SloPlan,
  severity: Severity,
  group: Record<string, string>,
  options: ResolvedRulesOptions,
): Record<string, string> {
  const rule = burnRateAlert(service, plan.slo, plan.policy, severity, options)!;
  return sortKeys({ ...outputLabels(plan.slo, group), ...rule.labels });
}

/** The expected alert, its annotations rendered as Prometheus renders them; undefined when they cannot be here. */
function expectedAlert(
  service: Service,
  plan: SloPlan,
  severity: Severity,
  group: Record<string, string>,
  value: AlertValue,
  options: ResolvedRulesOptions,
): ExpectedAlert | undefined {
  const rule = burnRateAlert(service, plan.slo, plan.policy, severity, options)!;
  const annotations = renderAnnotations(rule.annotations, outputLabels(plan.slo, group), value);
  if (!annotations) return undefined;
  return {
    exp_labels: sortKeys({ ...outputLabels(plan.slo, group), ...rule.labels }),
    exp_annotations: annotations,
  };
}

export const promtoolTestPath = (rulesPath: string): string => rulesPath.replace(/\.yaml$/, '.test.yaml');
