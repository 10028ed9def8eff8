import type { BurnTier, CatalogDefaults, ErrorLogAlert } from './catalog.model.js';

/** Google SRE workbook tiers (table 5-8 plus Sloth's 1d/2h ticket), as budget shares. */
export const WORKBOOK_TIERS: readonly BurnTier[] = Object.freeze([
  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetPercent: 2 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetPercent: 5 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetPercent: 10 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetPercent: 10 },
]);

export const DEFAULT_CATALOG_DEFAULTS: CatalogDefaults = Object.freeze({
  window: { kind: 'rolling', duration: '30d', seconds: 30 * 24 * 3600 },
  tiers: [...WORKBOOK_TIERS],
  errorLogAlert: { enabled: true, errorPercent: 5, minLines: 10, for: '10m' },
  sharedCosts: [],
}) as CatalogDefaults;

/** The error-log alert of one service: the catalog's, with the service's own changes over it. */
export const errorLogAlertOf = (
  service: { errorLogAlert?: Partial<ErrorLogAlert> },
  defaults: CatalogDefaults,
): ErrorLogAlert => ({
  ...defaults.errorLogAlert,
  ...service.errorLogAlert,
});
