// Dashboards for 2,000 services (10,000 SLOs): pure generateDashboards on a synthetic catalog
// loaded in memory, so only generation is timed.
import { loadCatalogFromSources } from '@burnrate/catalog';
import { generateDashboards } from '@burnrate/dashboards';
import { syntheticSources } from '../support/synthetic-catalog.mjs';

const { catalog, problems } = loadCatalogFromSources(syntheticSources({ services: 2000, slosPerService: 5 }));
if (problems.some((p) => p.severity === 'error')) throw new Error('synthetic catalog is invalid');
generateDashboards(loadCatalogFromSources(syntheticSources({ services: 20, slosPerService: 5 })).catalog, {
  grafanaUrl: 'http://g',
});

const started = performance.now();
const files = generateDashboards(catalog, { grafanaUrl: 'https://grafana.example.com' });
const seconds = (performance.now() - started) / 1000;
const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
console.log(
  JSON.stringify({
    bench: 'dashboards-generate',
    services: catalog.services.length,
    slos: catalog.services.reduce((n, s) => n + s.slos.length, 0),
    files: files.length,
    seconds,
    megabytes: bytes / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
