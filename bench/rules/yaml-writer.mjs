// The YAML writer of rule files, ours against the `yaml` library's own `stringify`, on the rule
// documents of 10,000 SLOs (2,000 services): `yaml-writer ours` or `yaml-writer library`.
import { generateRules, toYaml } from '@burnrate/rules';
import { parse, stringify } from 'yaml';
import { syntheticCatalog } from './synthetic-slos.mjs';

const which = process.argv[2] ?? 'ours';
const files = generateRules(syntheticCatalog({ services: 2000, slosPerService: 5 }), {
  grafanaUrl: 'https://grafana.example.com',
  promtoolTests: true,
});
const documents = files.map((f) => parse(f.content));
const write =
  which === 'ours'
    ? (doc) => toYaml(doc)
    : (doc) => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
for (const doc of documents.slice(0, 50)) write(doc); // warm-up
const started = performance.now();
let bytes = 0;
for (const doc of documents) bytes += write(doc).length;
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    bench: `yaml-writer-${which}`,
    files: documents.length,
    seconds,
    megabytes: bytes / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
