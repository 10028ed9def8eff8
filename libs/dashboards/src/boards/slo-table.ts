import type { Slo } from '@burnrate/catalog';
import { SLO_DETAIL_DASHBOARD_UID } from '@burnrate/catalog';
import { LABEL, SERIES } from '@burnrate/slo';
import { dashboardLink } from '../panels/links.util.js';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { tableHeight, tablePanel, type PanelContext } from '../panels/panels.js';

/**
 * One table row per SLO: objective, SLI now, budget left, firing alerts. Queries are instant,
 * per SLO, merged into rows by their `service` and `slo` labels.
 */
export function sloTable(ctx: PanelContext, title: string, slos: Slo[]) {
  const targets = [
    {
      expr: `max by (service, slo) (${SERIES.objective}{${scope(slos)}})`,
      legend: 'Objective',
      unit: units.PercentUnit,
      decimals: 2,
    },
    {
      expr: `1 - max by (service, slo) (${SERIES.errorRatio}{${scope(slos)}, ${LABEL.window}="1h"})`,
      legend: 'SLI (1h)',
      unit: units.PercentUnit,
      decimals: 3,
    },
    {
      expr: `max by (service, slo) (${budgetLeftPerSlo(scope(slos))})`,
      legend: 'Budget left',
      unit: units.PercentUnit,
      decimals: 1,
    },
    // One row per SLO: alerts of both severities add up, so the merge never splits a row.
    {
      expr: `count by (service, slo) (ALERTS{alertstate="firing", ${scope(slos)}})`,
      legend: 'Alerts firing',
      unit: units.Short,
      decimals: 0,
    },
  ];
  // A click on a row opens that SLO in the detail dashboard, keeping the time range.
  const detail = dashboardLink(
    'SLO detail',
    `/d/${SLO_DETAIL_DASHBOARD_UID}?var-service=\${__data.fields.service}&var-slo=\${__data.fields.slo}&\${__url_time_range}`,
  );
  return tablePanel(ctx, {
    title,
    w: 24,
    h: tableHeight(slos.length),
    targets,
    merge: true,
    dataLinks: [detail],
  });
}

/** Matchers selecting exactly these SLOs' services (one regex, so one query serves many SLOs). */
function scope(slos: Slo[]): string {
  const services = [...new Set(slos.map((s) => s.service))].sort();
  return `${LABEL.service}=~"${services.map(escapeRegex).join('|')}"`;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

/**
 * Error budget left over each SLO's own period, for every SLO in one query: the objective series
 * carries the period's recorded window, so joining on (service, slo, window) picks that ratio.
 */
export const budgetLeftPerSlo = (matchers = ''): string =>
  `1 - ${SERIES.errorRatio}${matchers ? `{${matchers}}` : ''} / on (service, slo, window) group_left (team) (1 - ${SERIES.objective}${matchers ? `{${matchers}}` : ''})`;
