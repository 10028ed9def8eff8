import type { Service, Slo } from '@burnrate/catalog';
import { formatDecimal, parseDuration } from '@burnrate/slo';
import { absentAlert } from '../prometheus/alert-rules.util.js';
import type { ResolvedRulesOptions } from '../rules-options.js';
import { type InputSeries, rawInputSeries } from './input-series.util.js';

/** The shape of one promtool test (see promtool-tests.ts), kept local to avoid an import cycle. */
interface AbsentTest {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: {
    eval_time: string;
    alertname: string;
    exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
  }[];
}

/**
 * The absent-SLI alert of an SLO with `absent: true`: quiet while every series its SLI reads is
 * there, and, for a classic histogram, firing when the `_count` is there but no bucket has the
 * threshold as its bound (a threshold that is no bucket boundary). Only SLIs fed from their raw
 * series: recorded series alone would leave the raw ones absent.
 */
export function absentTests(service: Service, slo: Slo, options: ResolvedRulesOptions): AbsentTest[] {
  if (!slo.alerting.absent) return [];
  const evalMinutes = Math.ceil(parseDuration(options.absentFor) / 60) + 5;
  const load = { eventsPerSecond: 10, errorRatio: 0, minutes: evalMinutes + 10 };
  const healthy = rawInputSeries(slo.sli, load);
  if (!healthy) return [];
  const rule = absentAlert(service, slo, options);
  const test = (name: string, input: InputSeries[], fires: boolean): AbsentTest => ({
    name: `${slo.name}: ${name}`,
    interval: '1m',
    input_series: input,
    alert_rule_test: [
      {
        eval_time: `${evalMinutes}m`,
        alertname: rule.alert,
        exp_alerts: fires ? [{ exp_labels: rule.labels, exp_annotations: rule.annotations }] : [],
      },
    ],
  });
  const tests = [test('every series the SLI reads is present: the absent alert stays quiet', healthy, false)];
  if (slo.sli.kind === 'latency' && slo.sli.histogram === 'classic') {
    const threshold = formatDecimal(slo.sli.thresholdSeconds);
    // Only the +Inf bucket: the histogram exists, but no bucket has the threshold as its bound.
    const count = healthy.find((s) => s.series.includes('_count'))!;
    const withoutBucket = healthy.map((s) =>
      s.series.includes('_bucket')
        ? { series: s.series.replace(/le="[^"]*"/, 'le="+Inf"'), values: count.values }
        : s,
    );
    tests.push(
      test(
        `no bucket with le="${threshold}" (the _count is there): the absent alert fires`,
        withoutBucket,
        true,
      ),
    );
  }
  return tests;
}
