/**
 * No slower than Sloth: Sloth's getting-started spec (99.9% over 30d), loaded unchanged, and
 * Sloth's own generated rules for it are fed the same series, a healthy 7 hours and then a
 * constant error ratio. The minute each first pages is found with promtool at 1m evaluations.
 *
 * Every page window (5m, 30m, 1h, 6h) is `rate()` over the window, as Sloth's are, so both tiers
 * page no later than Sloth's (scrape gaps and restarts: scrape-gaps.spec.ts).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError, loadCatalogFromSources } from '@burnrate/catalog';
import { generateRules } from '@burnrate/rules';
import { firstMinuteWithData } from './promtool.util.js';

const SLOTH_EXAMPLES = '/work/shared/reference/anchors/sloth/examples';
const BASELINE = 420; // longer than every page window, so only the load decides
const HORIZON = 420;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-vs-sloth-'));
  const text = await readFile(join(SLOTH_EXAMPLES, 'getting-started.yml'), 'utf8');
  const { catalog, problems } = loadCatalogFromSources([{ file: 'getting-started.yml', text }]);
  expect(problems.filter(isError)).toEqual([]);
  const [rules] = generateRules(catalog, { grafanaUrl: 'http://grafana.test', promtoolTests: false });
  await writeFile(join(dir, 'ours.yaml'), rules!.content);
  await copyFile(join(SLOTH_EXAMPLES, '_gen/getting-started.yml'), join(dir, 'sloth.yaml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** 6,000 requests a minute: 0.05% errors for the baseline, then `ratio` (whole counts only). */
function series(ratio: number) {
  const counter = (code: string, healthy: number, load: number) => ({
    series: `http_request_duration_seconds_count{job="myservice", code="${code}"}`,
    values: `0+${healthy}x${BASELINE} ${healthy * BASELINE + load}+${load}x${HORIZON - 1}`,
  });
  const errors = Math.round(6000 * ratio);
  return [counter('200', 5997, 6000 - errors), counter('500', 3, errors)];
}

/** The spec's page alerts carry `severity: pageteam`; Sloth's also carry `sloth_severity: page`. */
const PAGE = { ours: 'severity="pageteam"', sloth: 'sloth_severity="page"' };

const firstPage = async (rules: 'ours' | 'sloth', ratio: number) =>
  firstMinuteWithData(
    dir,
    `${rules}.yaml`,
    series(ratio),
    `ALERTS{alertstate="firing", ${PAGE[rules]}}`,
    BASELINE - 10,
    BASELINE + HORIZON - 1,
  );

describe("paging against Sloth's own rules for its getting-started spec", () => {
  it.each([
    ['a total outage', 1],
    ['5% errors (50x)', 0.05],
    ['2% errors (20x)', 0.02],
  ])('%s pages no later than Sloth (first tier)', async (_load, ratio) => {
    const [ours, sloth] = [await firstPage('ours', ratio), await firstPage('sloth', ratio)];
    expect(sloth).toBeGreaterThan(BASELINE);
    expect(ours).toBeGreaterThan(BASELINE);
    expect(ours!).toBeLessThanOrEqual(sloth!);
  });

  it.each([
    ['1% errors (10x)', 0.01],
    ['0.7% errors (7x)', 0.007],
  ])('%s pages no later than Sloth, over two hours into the burn (second tier)', async (_load, ratio) => {
    const [ours, sloth] = [await firstPage('ours', ratio), await firstPage('sloth', ratio)];
    expect(sloth! - BASELINE).toBeGreaterThan(120);
    expect(ours!).toBeLessThanOrEqual(sloth!);
  });

  it('neither pages on a healthy service', async () => {
    expect(await firstPage('ours', 0.0005)).toBeUndefined();
    expect(await firstPage('sloth', 0.0005)).toBeUndefined();
  });
});
