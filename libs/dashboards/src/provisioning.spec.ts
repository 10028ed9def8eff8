import { describe, expect, it } from 'vitest';
import { aCatalog } from '@burnrate/catalog/testing';
import { dashboardFolder, provisioningYaml, teamFolderUid } from './provisioning.js';
import { aService } from './testing/catalog.factory.js';

describe('dashboardFolder', () => {
  it("puts a team's dashboards in the team folder and the platform ones in Burnrate's", () => {
    expect(dashboardFolder('dashboards/payments/services/checkout.json')).toEqual({
      uid: 'burnrate-payments',
      title: 'payments',
    });
    expect(dashboardFolder('dashboards/payments/team.json')).toEqual({
      uid: 'burnrate-payments',
      title: 'payments',
    });
    expect(dashboardFolder('dashboards/_burnrate/cost.json')).toEqual({ uid: 'burnrate', title: 'Burnrate' });
  });
});

describe('teamFolderUid', () => {
  it('stays within the 40 characters Grafana allows', () => {
    expect(teamFolderUid('a'.repeat(60))).toHaveLength(40);
  });
});

describe('provisioningYaml', () => {
  it('declares one file provider per team with services, reading that team directory', () => {
    const yaml = provisioningYaml(
      aCatalog([aService({ team: 'b' }), aService({ name: 'x', team: 'a' })]),
      '/dash',
    );
    expect(yaml.match(/path: .*/g)).toEqual(['path: /dash/_burnrate', 'path: /dash/a', 'path: /dash/b']);
    expect(yaml).toContain('allowUiUpdates: false');
  });
});
