// Writes a synthetic native catalog: `services` services over `teams` teams, `slosPerService`
// SLOs each, mixing events and latency SLIs. Deterministic for a given size.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The same catalog as in-memory sources, for benches that time generation only. */
export function syntheticSources({ services = 2000, slosPerService = 5, teams = 40 } = {}) {
  const sources = [];
  for (let t = 0; t < teams; t++) sources.push({ file: `team-${t}/team.yaml`, text: teamYaml(`team-${t}`) });
  for (let s = 0; s < services; s++) {
    const team = `team-${s % teams}`;
    sources.push({ file: `${team}/svc-${s}.yaml`, text: serviceYaml(`svc-${s}`, team, slosPerService) });
  }
  return sources;
}

/** `calendarEvery`: every n-th SLO (counted across services) is budgeted per calendar month. */
export async function writeSyntheticCatalog(
  dir,
  { services = 2000, slosPerService = 5, teams = 40, calendarEvery = 0 } = {},
) {
  for (let t = 0; t < teams; t++) {
    const team = `team-${t}`;
    await mkdir(join(dir, team), { recursive: true });
    await writeFile(join(dir, team, 'team.yaml'), teamYaml(team));
  }
  for (let s = 0; s < services; s++) {
    const team = `team-${s % teams}`;
    const calendar = (i) => calendarEvery > 0 && (s * slosPerService + i) % calendarEvery === 0;
    await writeFile(
      join(dir, team, `svc-${s}.yaml`),
      serviceYaml(`svc-${s}`, team, slosPerService, calendar),
    );
  }
  return { services, slos: services * slosPerService, teams };
}

const teamYaml = (team) => `apiVersion: burnrate.dev/v1
kind: Team
metadata:
  name: ${team}
spec:
  chat:
    - type: slack
      urlFrom: { env: SLACK_${team.replace(/-/g, '_').toUpperCase()} }
`;

function serviceYaml(name, team, slos, calendar = () => false) {
  const sel = `service_name="${name}"`;
  const entries = [];
  for (let i = 0; i < slos; i++) {
    entries.push(
      i % 2 === 0
        ? `    - name: availability-${i}
      objective: 99.${i + 1}
      window: ${calendar(i) ? 'month' : '30d'}
      sli:
        events:
          errorQuery: sum(rate(http_server_request_duration_seconds_count{${sel},http_route="/r${i}",http_response_status_code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(http_server_request_duration_seconds_count{${sel},http_route="/r${i}"}[{{.window}}]))`
        : `    - name: latency-${i}
      objective: 99
      window: ${calendar(i) ? 'month' : '28d'}
      sli:
        latency:
          metric: http_server_request_duration_seconds
          matchers: '${sel},http_route="/r${i}"'
          threshold: 250ms`,
    );
  }
  return `apiVersion: burnrate.dev/v1
kind: Service
metadata:
  name: ${name}
  team: ${team}
spec:
  runbook: https://runbooks.example.com/${name}
  telemetry:
    prometheus: { matchers: '${sel}' }
    loki: { selector: '{${sel}}' }
    tempo: { serviceName: ${name} }
  slos:
${entries.join('\n')}
`;
}
