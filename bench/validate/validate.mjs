// Validating a generated catalog of 2,000 services / 10,000 SLOs, against the floor of merely
// reading and YAML-parsing the same files. Run in a fresh process so peak RSS is its own.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadCatalog } from '@burnrate/catalog';
import { writeSyntheticCatalog } from '../support/synthetic-catalog.mjs';

const mode = process.argv[2] ?? 'ours';
const dir = await mkdtemp(join(tmpdir(), 'burnrate-bench-validate-'));
try {
  const size = await writeSyntheticCatalog(dir, { services: 2000, slosPerService: 5 });
  const started = performance.now();
  let problems = 0;
  if (mode === 'ours') {
    const result = await loadCatalog([dir]);
    problems = result.problems.filter((p) => p.severity === 'error').length;
    if (result.catalog.services.length !== size.services) throw new Error('catalog incomplete');
  } else {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      for (const doc of parseAllDocuments(await readFile(join(entry.parentPath, entry.name), 'utf8')))
        doc.toJS();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ bench: `validate-${mode}`, ...size, seconds, peakRssMiB, problems }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
