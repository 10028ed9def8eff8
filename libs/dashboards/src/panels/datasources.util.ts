import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { DatasourceUids, ResolvedDashboardsOptions } from '../options.js';

export type DatasourceKind = keyof DatasourceUids;

/** What a panel or query puts in its `datasource` field. */
export interface DatasourceRef {
  type: string;
  uid: string;
}

export type DatasourceRefs = Record<DatasourceKind, DatasourceRef>;

/** Grafana plugin type and dashboard variable of each kind of data source. */
const KINDS: Record<DatasourceKind, { type: string; variable: string; label: string }> = {
  prometheus: { type: 'prometheus', variable: 'metrics', label: 'Metrics' },
  loki: { type: 'loki', variable: 'logs', label: 'Logs' },
  tempo: { type: 'tempo', variable: 'traces', label: 'Traces' },
  postgres: { type: 'grafana-postgresql-datasource', variable: 'costs', label: 'Cost database' },
};

/** Panels point at the dashboard variable when variables are on, else at the configured uid. */
export function datasourceRefs(
  options: Pick<ResolvedDashboardsOptions, 'datasources' | 'datasourceVariables'>,
): DatasourceRefs {
  const ref = (kind: DatasourceKind): DatasourceRef => ({
    type: KINDS[kind].type,
    uid: options.datasourceVariables ? `\${${KINDS[kind].variable}}` : options.datasources[kind],
  });
  return { prometheus: ref('prometheus'), loki: ref('loki'), tempo: ref('tempo'), postgres: ref('postgres') };
}

/**
 * Data source variables for the kinds a dashboard uses, defaulting to the configured uids (a
 * datasource variable's value is the uid). None when variables are off.
 */
export function datasourceVariables(
  options: Pick<ResolvedDashboardsOptions, 'datasources' | 'datasourceVariables'>,
  kinds: DatasourceKind[],
): dashboard.DatasourceVariableBuilder[] {
  if (!options.datasourceVariables) return [];
  return kinds.map((kind) =>
    new dashboard.DatasourceVariableBuilder(KINDS[kind].variable)
      .label(KINDS[kind].label)
      .type(KINDS[kind].type)
      .current({ text: options.datasources[kind], value: options.datasources[kind] }),
  );
}
