import { stableJson } from '@burnrate/dashboards';

export interface DashboardJson {
  uid?: string;
  title?: string;
  [key: string]: unknown;
}

/** Same content once the fields Grafana assigns on save (`id`, `version`) are set aside. */
export function sameDashboard(stored: DashboardJson, generated: DashboardJson): boolean {
  const strip = ({ id: _id, version: _version, ...rest }: DashboardJson) => rest;
  return stableJson(strip(stored)) === stableJson(strip(generated));
}
