import { readFileSync } from 'node:fs';

import Handlebars from 'handlebars';
import { escapeView, escaperOf, sizeProblem, type MessageFormat } from '@burnrate/notify';

import type { CostReport } from './cost-report.js';

export type ReportFormat = 'md' | 'html' | 'json';

/** What every rendering of a report shows, as plain text (escaped per format before templating). */
export interface ReportView {
  title: string;
  headline: string;
  /** Green when spend fell or held, amber when it grew, red when the forecast passes the budget. */
  color: string;
  /** The colour as a number (Discord). */
  colorInt: number;
  facts: { name: string; value: string }[];
  sections: { title: string; lines: string[] }[];
}

const grouped = (amount: string): string => {
  const [whole, fraction] = amount.replace(/^-/, '').split('.');
  return `${amount.startsWith('-') ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
};
const signed = (amount: string) => (amount.startsWith('-') ? grouped(amount) : `+${grouped(amount)}`);
const pct = (percent: number | null) =>
  percent === null ? 'new' : `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;

/** The report as lines a manager reads in a minute: the total, what moved, the budget, reliability. */
export function reportView(report: CostReport, maxServices = 8): ReportView {
  const c = report.currency;
  const over =
    report.budget.monthly !== null && Number(report.budget.forecast) > Number(report.budget.monthly);
  const grew = Number(report.change.amount) > 0;
  const facts = [
    { name: 'This week', value: `${c} ${grouped(report.total)}` },
    { name: 'Last week', value: `${c} ${grouped(report.previousTotal)}` },
    {
      name: 'Month to date',
      value:
        report.budget.monthly === null
          ? `${c} ${grouped(report.budget.monthToDate)} (no budget)`
          : `${c} ${grouped(report.budget.monthToDate)} of ${grouped(report.budget.monthly)}`,
    },
    {
      name: 'Month-end forecast',
      value: `${c} ${grouped(report.budget.forecast)}${over ? ' (over budget)' : ''}`,
    },
  ];
  const services = report.byService
    .slice(0, maxServices)
    .map((s) => `${s.name}: ${c} ${grouped(s.amount)} (last week ${grouped(s.previousAmount)})`);
  if (report.byService.length > maxServices)
    services.push(`... and ${report.byService.length - maxServices} more`);
  const movers = report.topMovers.map((m) => `${m.name}: ${signed(m.change)} (${pct(m.percent)})`);
  const anomalies = report.anomalies.map((a) =>
    a.kind === 'daily'
      ? `${a.service} on ${a.day}: ${c} ${grouped(a.amount)} against a usual ${grouped(a.expected)}${a.z === null ? '' : ` (z ${a.z})`}`
      : `${a.service} this week: ${c} ${grouped(a.amount)} against ${grouped(a.previousAmount)} (${pct(a.percent)})`,
  );
  const slos = report.reliability.slos.map(
    (s) =>
      `${s.service}/${s.slo}: ${s.budgetRemaining === null ? 'no data yet' : `${(s.budgetRemaining * 100).toFixed(1)}% of the error budget left`} (${s.state})`,
  );
  const bill = [
    `Unallocated: ${c} ${grouped(report.unallocated.amount)}${report.unallocated.share === null ? '' : ` (${report.unallocated.share.toFixed(1)}% of the bill)`}`,
    `Tag coverage: ${report.tagCoverage === null ? 'no spend' : `${report.tagCoverage.toFixed(1)}% of the bill`}`,
    ...report.otherCurrencies.map(
      (o) => `Also spent in ${o.currency}: ${grouped(o.total)} (not added above)`,
    ),
  ];
  const color = over ? '#D7263D' : grew ? '#F2A900' : '#2EB67D';
  return {
    title: `Cost report: ${report.team}, ${report.week}`,
    headline:
      `${c} ${grouped(report.total)} from ${report.from} to ${report.to}, ` +
      (report.change.percent === null
        ? `${signed(report.change.amount)} on a week with no spend`
        : `${signed(report.change.amount)} (${pct(report.change.percent)}) on last week`),
    color,
    colorInt: parseInt(color.slice(1), 16),
    facts,
    sections: [
      { title: 'Spend by service', lines: services.length ? services : ['No spend'] },
      ...(movers.length ? [{ title: 'Top movers', lines: movers }] : []),
      { title: 'Anomalies', lines: anomalies.length ? anomalies : ['None'] },
      {
        title: 'Reliability',
        lines: [
          ...(slos.length ? slos : ['No SLOs tracked']),
          `Pages this week: ${report.reliability.pages}`,
        ],
      },
      { title: 'The whole bill', lines: bill },
    ],
  };
}

const handlebars = Handlebars.create();
const template = (name: string, escape: boolean) =>
  handlebars.compile(readFileSync(new URL(`../../templates/${name}.hbs`, import.meta.url), 'utf8'), {
    noEscape: !escape,
    preventIndent: true,
  });
const TEMPLATES = new Map<string, (context: unknown) => string>();
const compiled = (name: string, escape = false) => {
  let t = TEMPLATES.get(name);
  if (!t) TEMPLATES.set(name, (t = template(name, escape)));
  return t;
};
const NO_URLS: ReadonlySet<string> = new Set(['color']);

/** The report as Markdown, a standalone HTML page, or its JSON. */
export function renderReport(report: CostReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const view = reportView(report, format === 'md' ? 8 : 50);
  if (format === 'html') return compiled('cost-report.html', true)(view);
  const md = escaperOf('discord');
  return compiled('cost-report.md')({
    ...view,
    title: md(view.title),
    headline: md(view.headline),
    facts: view.facts.map((f) => ({ name: md(f.name), value: md(f.value) })),
    sections: view.sections.map((s) => ({ title: md(s.title), lines: s.lines.map(md) })),
  });
}

/** The report as a chat message body for one of the chat formats (the generic webhook gets the JSON). */
export function renderReportMessage(report: CostReport, format: MessageFormat): Record<string, unknown> {
  if (format === 'webhook') return { kind: 'cost-report', version: 1, report };
  let services = 8;
  for (;;) {
    const view = escapeView(reportView(report, services), format, NO_URLS);
    const body = JSON.parse(compiled(`cost-report.${format}`)(view)) as Record<string, unknown>;
    if (!sizeProblem(format, body) || services === 0) return body;
    services = Math.floor(services / 2);
  }
}
