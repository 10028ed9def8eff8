import { errorLogAlertOf, type Catalog, type Severity, type Slo } from '@burnrate/catalog';
import { alertPolicy } from '@burnrate/slo';

/** A page label and the ticket label of the same SLO: the page silences the ticket. */
export interface Inhibition {
  page: string;
  ticket: string;
}

/** The `severity` label values the generated alerts carry, by how urgent they are. */
export interface SeverityLabels {
  /** Values of page alerts, sorted. */
  page: string[];
  /** Values of ticket alerts, sorted; a value some SLO also pages with is under `page` only. */
  ticket: string[];
  /** Distinct page/ticket pairs of SLOs that alert on both, sorted. */
  inhibitions: Inhibition[];
}

/** The label value an alert of this severity carries, exactly as the alert rules write it. */
const labelOf = (slo: Slo, severity: Severity): string => slo.alerting[severity].severityLabel || severity;

const sorted = (values: Iterable<string>): string[] =>
  [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Collects the `severity` values the catalog's alerts carry: burn-rate pages and tickets
 * (an SLO may rename either), SLI-absent alerts (the SLO's ticket value) and Loki error-log
 * alerts (always `ticket`). Only alerts that are generated count.
 */
export function severityLabelsOf(catalog: Catalog): SeverityLabels {
  const page = new Set<string>();
  const ticket = new Set<string>();
  const pairs = new Map<string, Inhibition>();
  for (const service of catalog.services) {
    for (const slo of service.slos) {
      const policy = alertPolicy(slo, catalog.defaults.tiers);
      const pages = policy.page.length > 0;
      const tickets = policy.ticket.length > 0;
      if (pages) page.add(labelOf(slo, 'page'));
      if (tickets || slo.alerting.absent) ticket.add(labelOf(slo, 'ticket'));
      // An SLO whose page and ticket share a value cannot tell them apart: nothing to inhibit.
      const pair = { page: labelOf(slo, 'page'), ticket: labelOf(slo, 'ticket') };
      if (pages && tickets && pair.page !== pair.ticket) pairs.set(JSON.stringify(pair), pair);
    }
    if (service.telemetry.loki && errorLogAlertOf(service, catalog.defaults).enabled) ticket.add('ticket');
  }
  return {
    page: sorted(page),
    // The page routes come first: a value in both sets is routed (and timed) as a page.
    ticket: sorted(ticket).filter((value) => !page.has(value)),
    inhibitions: sorted(pairs.keys()).map((key) => pairs.get(key)!),
  };
}
