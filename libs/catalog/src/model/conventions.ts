/**
 * Names shared by every generator, so alert annotations, dashboards and the server agree on
 * uids and links without importing each other.
 */

const MAX_UID = 40;

/** Lowercase, `[a-z0-9-]`, at most 40 characters; a short hash keeps long names unique. */
export function dashboardUid(...parts: string[]): string {
  const raw = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (raw.length <= MAX_UID) return raw;
  const hash = fnv1a(raw).toString(36).padStart(7, '0').slice(0, 7);
  return `${raw.slice(0, MAX_UID - hash.length - 1).replace(/-$/, '')}-${hash}`;
}

export const serviceDashboardUid = (team: string, service: string): string =>
  dashboardUid('svc', team, service);
export const teamDashboardUid = (team: string): string => dashboardUid('team', team);
export const OVERVIEW_DASHBOARD_UID = 'burnrate-overview';
export const SLO_DETAIL_DASHBOARD_UID = 'burnrate-slo-detail';
export const COST_DASHBOARD_UID = 'burnrate-cost';

/** 32-bit FNV-1a: tiny, stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
