// `npm run bench`: every benchmark in a fresh Node process (so peak memory is its own), printed
// as JSON lines and a summary with the side-by-side ratios.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);

const benches = [
  ['validate', 'bench/validate/validate.mjs', ['ours']],
  ['validate-floor', 'bench/validate/validate.mjs', ['floor']],
  ['rules-generate', 'bench/rules/generate.mjs', []],
  ['rules-eval-cost', 'bench/rules/eval-cost.mjs', []],
  ['dashboards-generate', 'bench/dashboards/generate.mjs', []],
];

const results = {};
for (const [name, script, args] of benches) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  if (!existsSync(`${root}${script}`)) {
    console.error(`skip ${name}: ${script} not present`);
    continue;
  }
  const run = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) {
    console.error(`${name} failed with exit ${run.status}`);
    process.exitCode = 1;
    continue;
  }
  const lines = run.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  results[name] = lines.map((l) => JSON.parse(l));
  for (const line of lines) console.log(line);
}

const ours = results.validate?.[0];
const floor = results['validate-floor']?.[0];
if (ours && floor) {
  console.log(
    `validate ${ours.services} services / ${ours.slos} SLOs: ${ours.seconds.toFixed(2)} s, peak RSS ${ours.peakRssMiB.toFixed(0)} MiB; ` +
      `YAML-parse floor ${floor.seconds.toFixed(2)} s (ratio ${(ours.seconds / floor.seconds).toFixed(2)}x)`,
  );
}
