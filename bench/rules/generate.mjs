// Time to generate every rule file (and the promtool tests) for 10,000 SLOs over 2,000 services:
// pure generateRules on an in-memory catalog, so only generation is timed.
import { generateRules } from '@burnrate/rules';
import { syntheticCatalog } from './synthetic-slos.mjs';

const catalog = syntheticCatalog({ services: 2000, slosPerService: 5 });
const slos = catalog.services.reduce((n, s) => n + s.slos.length, 0);
generateRules(syntheticCatalog({ services: 20, slosPerService: 5 }), {
  grafanaUrl: 'http://grafana',
  promtoolTests: true,
}); // warm-up

const time = (promtoolTests) => {
  const started = performance.now();
  const files = generateRules(catalog, { grafanaUrl: 'https://grafana.example.com', promtoolTests });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, files: files.length, bytes: files.reduce((n, f) => n + f.content.length, 0) };
};

const rulesOnly = time(false);
const withTests = time(true);
console.log(
  JSON.stringify({
    bench: 'rules-generate',
    services: catalog.services.length,
    slos,
    seconds: withTests.seconds,
    secondsWithoutTests: rulesOnly.seconds,
    files: withTests.files,
    megabytes: withTests.bytes / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
