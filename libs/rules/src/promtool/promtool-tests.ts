import type { BurnTier, Service, Severity, Slo } from '@burnrate/catalog';
import { formatDecimal, roundDecimal } from '@burnrate/slo';
import { burnRateAlert } from '../prometheus/alert-rules.util.js';
import { absentTests } from './absent-tests.js';
import { planSlo, type SloPlan } from '../prometheus/service-rules.js';
import type { ResolvedRulesOptions } from '../rules-options.js';
import { type InputSeries, type Load, rawInputSeries, recordedInputSeries } from './input-series.util.js';

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

interface PromtoolTest {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: { eval_time: string; alertname: string; exp_alerts: ExpectedAlert[] }[];
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
export function promtoolTests(service: Service, ruleFile: string, defaultTiers: readonly BurnTier[], options: ResolvedRulesOptions): PromtoolTestFile | undefined {
  const tests = service.slos.flatMap((slo) => [...sloTests(service, planSlo(slo, defaultTiers), options), ...absentTests(service, slo, options)]);
  if (tests.length === 0) return undefined;
  return { rule_files: [ruleFile], evaluation_interval: options.fastInterval, tests };
}

function sloTests(service: Service, plan: SloPlan, options: ResolvedRulesOptions): PromtoolTest[] {
  const { slo, policy } = plan;
  if (policy.tiers.length === 0) return [];
  const eventsPerSecond = Math.max(10, ...policy.page.map((t) => (2 * (slo.alerting.minEvents ?? 0)) / t.longSeconds));
  return scenarios(plan).flatMap((scenario) => {
    const load: Load = { eventsPerSecond: scenario.idle ? 0 : eventsPerSecond, errorRatio: scenario.errorRatio, minutes: LOAD_MINUTES };
    const raw = rawInputSeries(slo.sli, load);
    // Fed series collide with what a constant-yielding query (`or vector(0)`) writes at the same instant.
    if (!raw && scenario.errorRatio !== 0 && yieldsWithoutInput(slo)) return [];
    const firing = scenario.idle ? [] : severitiesAt(plan, scenario.errorRatio);
    const alerts = (['page', 'ticket'] as const)
      .filter((severity) => firing.includes(severity))
      .map((severity) => expectedAlert(service, plan, severity, options));
    return [{
      name: `${slo.name}: ${scenario.name}${raw ? '' : ' (fed from the recorded 5m series)'}`,
      interval: '1m',
      input_series: raw ?? recordedInputSeries(slo, load),
      alert_rule_test: [{ eval_time: `${EVAL_MINUTES}m`, alertname: slo.alerting.name, exp_alerts: alerts }],
    }];
  });
}

function scenarios(plan: SloPlan): Scenario[] {
  const { page, ticket, tiers } = plan.policy;
  const minThreshold = (ts: typeof tiers) => Math.min(...ts.map((t) => t.threshold));
  const lowest = minThreshold(tiers);
  // A 0/1 gauge shows only 0% and 100% errors in 40 samples; other loads go through the recorded series.
  const healthy = plan.slo.sli.kind === 'gauge' ? 0 : Number((lowest / 2).toPrecision(2));
  const out: Scenario[] = [{ name: `healthy (error ratio ${formatDecimal(healthy)}) fires nothing`, errorRatio: healthy }];
  if (page.length > 0 && minThreshold(page) < 1) {
    const ratio = Math.min(1, roundDecimal(2 * minThreshold(page)));
    if (ratio < 1) out.push({ name: `fast burn (error ratio ${formatDecimal(ratio)}) pages`, errorRatio: ratio });
    out.push({ name: 'outage (every event fails) pages', errorRatio: 1 });
  }
  if (ticket.length > 0) {
    const low = minThreshold(ticket);
    const high = page.length > 0 ? minThreshold(page) : Math.min(1, low * 4);
    if (low < high) {
      const mean = Math.sqrt(low * high);
      const round = Number(mean.toPrecision(2));
      const ratio = round > low && round < high ? round : roundDecimal(mean);
      out.push({ name: `slow burn (error ratio ${formatDecimal(ratio)}) opens a ticket${page.length > 0 ? ' and never pages' : ''}`, errorRatio: ratio });
    }
  }
  // A 0/1 gauge without samples is absent, not idle: the absent alert covers it.
  if (plan.source.kind !== 'ratio' && plan.slo.sli.kind !== 'gauge') out.push({ name: 'no traffic (0/0) fires nothing', errorRatio: 0, idle: true });
  return out;
}

/** Free-form queries with constants (`or on() vector(0)`) return data even with no input series. */
function yieldsWithoutInput(slo: Slo): boolean {
  const sli = slo.sli;
  const queries =
    sli.kind === 'events' ? [sli.errorQuery, sli.totalQuery] : sli.kind === 'goodTotal' ? [sli.goodQuery, sli.totalQuery] : sli.kind === 'raw' ? [sli.errorRatioQuery] : [];
  return queries.some((q) => /\bvector\s*\(/.test(q));
}

function severitiesAt(plan: SloPlan, errorRatio: number): Severity[] {
  return (['page', 'ticket'] as const).filter((severity) => plan.policy[severity].some((t) => errorRatio > t.threshold));
}

function expectedAlert(service: Service, plan: SloPlan, severity: Severity, options: ResolvedRulesOptions): ExpectedAlert {
  const rule = burnRateAlert(service, plan.slo, plan.policy, severity, options)!;
  return { exp_labels: rule.labels, exp_annotations: rule.annotations };
}

export const promtoolTestPath = (rulesPath: string): string => rulesPath.replace(/\.yaml$/, '.test.yaml');
