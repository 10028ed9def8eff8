import type { Catalog, GeneratedFile } from '@burnrate/catalog';
import { LABEL } from '@burnrate/slo';
import { GENERATED_HEADER } from '../prometheus/prometheus-rules.js';
import { toYaml } from '../yaml.util.js';
import {
  resolveAlertmanagerOptions,
  type AlertmanagerOptions,
  type ResolvedAlertmanagerOptions,
  type RouteTiming,
} from './alertmanager-options.js';
import { severityLabelsOf, type SeverityLabels } from './severity-labels.util.js';

/** Where the Alertmanager configuration goes, under the output root. */
export const ALERTMANAGER_CONFIG_PATH = 'alertmanager/burnrate.yml';

/** The one receiver: Burnrate finds the owning team's chat in the catalog itself. */
export const BURNRATE_RECEIVER = 'burnrate';

/** One notification per SLO incident: the alert, its owner, its SLO and how urgent it is. */
export const GROUP_BY = ['alertname', LABEL.team, LABEL.service, LABEL.slo, LABEL.severity];

/** The labels a page and the ticket it silences must share: the same SLO of the same service. */
export const INHIBIT_EQUAL = [LABEL.service, LABEL.slo];

/** A matcher in Alertmanager's `matchers:` syntax (0.22 and later), the value always quoted. */
export const equalsMatcher = (name: string, value: string): string => `${name}=${JSON.stringify(value)}`;

const timing = (t: RouteTiming) => ({
  group_wait: t.groupWait,
  group_interval: t.groupInterval,
  repeat_interval: t.repeatInterval,
});

const severityRoute = (value: string, t: RouteTiming) => ({
  receiver: BURNRATE_RECEIVER,
  matchers: [equalsMatcher(LABEL.severity, value)],
  ...timing(t),
});

/**
 * The configuration as plain data, keys in the order Alertmanager's documentation writes them:
 * the route tree on `severity`, the webhook receiver, and the page-over-ticket inhibitions.
 */
export function alertmanagerConfig(
  severities: SeverityLabels,
  options: ResolvedAlertmanagerOptions,
): Record<string, unknown> {
  const routes = [
    ...severities.page.map((value) => severityRoute(value, options.pageTiming)),
    ...severities.ticket.map((value) => severityRoute(value, options.ticketTiming)),
  ];
  const config: Record<string, unknown> = {
    route: {
      receiver: BURNRATE_RECEIVER,
      group_by: GROUP_BY,
      // An alert with a severity no SLO uses is delivered as fast as a page, never held back.
      ...timing(options.pageTiming),
      ...(routes.length > 0 ? { routes } : {}),
    },
    receivers: [
      {
        name: BURNRATE_RECEIVER,
        webhook_configs: [
          {
            url: options.webhookUrl,
            send_resolved: true,
            max_alerts: options.maxAlerts,
            http_config: {
              authorization: { type: 'Bearer', credentials_file: options.webhookTokenFile },
            },
          },
        ],
      },
    ],
  };
  if (severities.inhibitions.length > 0) {
    config['inhibit_rules'] = severities.inhibitions.map((pair) => ({
      source_matchers: [equalsMatcher(LABEL.severity, pair.page)],
      target_matchers: [equalsMatcher(LABEL.severity, pair.ticket)],
      equal: INHIBIT_EQUAL,
    }));
  }
  return config;
}

const list = (values: string[]): string => (values.length > 0 ? values.join(', ') : 'none');

/** The header: what made the file, and why each value is what it is. */
export function alertmanagerHeader(severities: SeverityLabels, options: ResolvedAlertmanagerOptions): string {
  const { pageTiming: p, ticketTiming: t } = options;
  return [
    GENERATED_HEADER,
    '',
    ' Alertmanager configuration (0.22 or later): every alert goes to one webhook receiver, Burnrate,',
    " which routes it to the owning team's chat from the catalog. There is no route per team here.",
    ' The bearer token is read from a file, as Alertmanager expands no variables in its config:',
    `   ${options.webhookTokenFile}`,
    ` Grouped by ${GROUP_BY.join(', ')}: one chat message per SLO incident.`,
    ` Webhook calls carry at most ${options.maxAlerts || 'all'} alerts; Burnrate summarises the rest.`,
    '',
    ` Page routes (severity ${list(severities.page)}; also alerts no route matches):`,
    `   group_wait ${p.groupWait}: the fast rules evaluate every minute and a page is one alert per SLO,`,
    '     so a longer wait would batch nothing and only delay the page;',
    `   group_interval ${p.groupInterval}: a resolved or added alert is told within minutes;`,
    `   repeat_interval ${p.repeatInterval}: an unresolved page reminds the on-call a few times a shift.`,
    ` Ticket routes (severity ${list(severities.ticket)}):`,
    `   group_wait ${t.groupWait}: a ticket is not urgent, and meanwhile the page of the same burn`,
    '     (pages evaluate in the fast rule group, tickets in the slow one) arrives and inhibits it;',
    `   group_interval ${t.groupInterval}: tickets change slowly, their windows are hours to days long;`,
    `   repeat_interval ${t.repeatInterval}: a daily reminder, for work planned by the day, not paged.`,
    ` Inhibition: a page silences the ticket of the same ${INHIBIT_EQUAL.join(' and ')}.`,
  ].join('\n');
}

/**
 * `alertmanager/burnrate.yml`: the Alertmanager receiver, route tree and inhibit rules for the
 * catalog. The `severity` values come from the catalog's SLOs (a spec may rename page or
 * ticket). Deterministic: same catalog and options, same bytes.
 */
export function generateAlertmanagerConfig(catalog: Catalog, options: AlertmanagerOptions): GeneratedFile {
  const resolved = resolveAlertmanagerOptions(options);
  const severities = severityLabelsOf(catalog);
  return {
    path: ALERTMANAGER_CONFIG_PATH,
    content: toYaml(alertmanagerConfig(severities, resolved), alertmanagerHeader(severities, resolved)),
  };
}
