import { describe, expect, it } from 'vitest';
import { loadCatalogFromSources } from '../load/load-catalog.js';

const team = (name: string) => `apiVersion: burnrate.dev/v1\nkind: Team\nmetadata: { name: ${name} }\n`;
const service = (teamName: string) => `apiVersion: burnrate.dev/v1
kind: Service
metadata: { name: checkout, team: ${teamName} }
spec:
  slos:
    - name: availability
      objective: 99.9
      sli: { gauge: { selector: 'probe_success{job="checkout"}' } }
`;
const load = (teamName: string, strict = false) =>
  loadCatalogFromSources(
    [
      { file: 'teams.yaml', text: `${team('payments')}---\n${team('search')}` },
      { file: 'checkout.yaml', text: service(teamName) },
    ],
    { strict },
  ).problems;

describe('team references', () => {
  it('suggests the declared team a misspelt one most likely meant, where the team is named', () => {
    expect(load('paymnets')).toEqual([
      {
        file: 'checkout.yaml',
        line: 3,
        column: 35,
        severity: 'warning',
        message: 'team `paymnets` is not declared; did you mean `payments`? (declared: payments, search)',
      },
    ]);
  });

  it('makes it an error under --strict, as any undeclared team', () => {
    expect(load('paymets', true).map((p) => [p.severity, p.message])).toEqual([
      ['error', 'team `paymets` is not declared; did you mean `payments`? (declared: payments, search)'],
    ]);
  });

  it('suggests nothing for a team that is simply not declared', () => {
    expect(load('growth').map((p) => p.message)).toEqual([
      'team `growth` is not declared: add a burnrate.dev/v1 Team document for it',
    ]);
  });

  it('is silent for a declared team', () => {
    expect(load('search')).toEqual([]);
  });
});
