// Sloth-shaped rules for the same SLOs, following Sloth's exact generated output
// (reference/anchors/sloth/examples/_gen): per SLO three groups, 8 SLI recordings (raw queries at
// 5m..3d plus the "optimized" 30d average), 7 metadata recordings and 2 alerts = 17 rules.
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

function sliQueries(slo) {
  const sli = slo.sli;
  if (sli.kind === 'events') return [sli.errorQuery, sli.totalQuery];
  const sel = (suffix, extra = '') => `${sli.metric}${suffix}{${sli.matchers}${extra}}`;
  return [
    `(sum(rate(${sel('_count')}[{{.window}}])) - sum(rate(${sel('_bucket', `,le="${sli.thresholdSeconds}"`)}[{{.window}}])))`,
    `sum(rate(${sel('_count')}[{{.window}}]))`,
  ];
}

export function slothGroups(catalog) {
  const groups = [];
  for (const service of catalog.services) {
    for (const slo of service.slos) {
      const id = `${slo.service}-${slo.name}`;
      const ids = `sloth_id="${id}", sloth_service="${slo.service}", sloth_slo="${slo.name}"`;
      const base = {
        ...service.labels,
        ...slo.labels,
        sloth_id: id,
        sloth_service: slo.service,
        sloth_slo: slo.name,
      };
      const [err, tot] = sliQueries(slo);
      const render = (q, w) => q.replaceAll('{{.window}}', w);
      const budget = (100 - slo.objective) / 100;
      const sli = WINDOWS.map((w) => ({
        record: `slo:sli_error:ratio_rate${w}`,
        expr: `(${render(err, w)})\n/\n(${render(tot, w)})\n`,
        labels: { ...base, sloth_window: w },
      }));
      sli.push({
        record: 'slo:sli_error:ratio_rate30d',
        expr: `sum_over_time(slo:sli_error:ratio_rate5m{${ids}}[30d])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{${ids}}[30d])\n`,
        labels: { ...base, sloth_window: '30d' },
      });
      const meta = [
        ['slo:objective:ratio', `vector(${slo.objective / 100})`],
        ['slo:error_budget:ratio', `vector(1-${slo.objective / 100})`],
        ['slo:time_period:days', 'vector(30)'],
        [
          'slo:current_burn_rate:ratio',
          `slo:sli_error:ratio_rate5m{${ids}}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{${ids}}\n`,
        ],
        [
          'slo:period_burn_rate:ratio',
          `slo:sli_error:ratio_rate30d{${ids}}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{${ids}}\n`,
        ],
        ['slo:period_error_budget_remaining:ratio', `1 - slo:period_burn_rate:ratio{${ids}}`],
      ].map(([record, expr]) => ({ record, expr, labels: base }));
      meta.push({
        record: 'sloth_slo_info',
        expr: 'vector(1)',
        labels: {
          ...base,
          sloth_mode: 'cli-gen-prom',
          sloth_objective: String(slo.objective),
          sloth_spec: 'prometheus/v1',
          sloth_version: 'dev',
        },
      });
      const pair = (short, long, factor) =>
        `max(slo:sli_error:ratio_rate${short}{${ids}} > (${factor} * ${budget})) without (sloth_window)\nand\nmax(slo:sli_error:ratio_rate${long}{${ids}} > (${factor} * ${budget})) without (sloth_window)`;
      const alert = (severity, a, b) => ({
        alert: slo.alerting.name,
        expr: `(\n${a}\n)\nor\n(\n${b}\n)\n`,
        labels: { sloth_severity: severity },
        annotations: {
          title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
        },
      });
      groups.push(
        { name: `sloth-slo-sli-recordings-${id}`, rules: sli },
        { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
        {
          name: `sloth-slo-alerts-${id}`,
          rules: [
            alert('page', pair('5m', '1h', 14.4), pair('30m', '6h', 6)),
            alert('ticket', pair('2h', '1d', 3), pair('6h', '3d', 1)),
          ],
        },
      );
    }
  }
  return groups;
}
