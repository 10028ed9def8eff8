import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASOURCES } from '../options.js';
import { datasourceRefs, datasourceVariables } from './datasources.util.js';

describe('datasourceRefs', () => {
  it('points panels at the data source variables when they are on', () => {
    expect(datasourceRefs({ datasources: DEFAULT_DATASOURCES, datasourceVariables: true }).tempo).toEqual({
      type: 'tempo',
      uid: '${traces}',
    });
  });

  it('points panels at the configured uids when variables are off', () => {
    const refs = datasourceRefs({
      datasources: { ...DEFAULT_DATASOURCES, postgres: 'costs-db' },
      datasourceVariables: false,
    });
    expect(refs.postgres).toEqual({ type: 'grafana-postgresql-datasource', uid: 'costs-db' });
  });
});

describe('datasourceVariables', () => {
  it('offers one variable per kind used, defaulting to the configured uid', () => {
    const variables = datasourceVariables(
      { datasources: { ...DEFAULT_DATASOURCES, loki: 'loki-eu' }, datasourceVariables: true },
      ['loki'],
    ).map((v) => v.build());
    expect(variables).toMatchObject([
      { type: 'datasource', name: 'logs', query: 'loki', current: { text: 'loki-eu', value: 'loki-eu' } },
    ]);
  });
});
