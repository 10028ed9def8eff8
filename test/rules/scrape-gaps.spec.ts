/**
 * Scrape gaps, stale markers and restarts inside an incident, against Sloth's own generated rules
 * for its getting-started spec (reference/anchors/sloth/examples, loaded unchanged). Both rule
 * files are evaluated together by promtool every minute over the same series, and compared
 * minute by minute: every page window's ratio (ours `slo:sli_error:ratio{window}`, Sloth's
 * `slo:sli_error:ratio_rate<window>`) and the minutes each page fires.
 *
 * A scrape that fails writes stale markers for the target's series, then nothing (`_`) until it
 * comes back. A counter keeps counting across a failed scrape (the increase across the gap is
 * there on the first sample after it); a restarted process starts its counters from 0.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError, loadCatalogFromSources } from '@burnrate/catalog';
import { generateRules } from '@burnrate/rules';
import { minutesWithData } from './promtool.util.js';

const SLOTH_EXAMPLES = '/work/shared/reference/anchors/sloth/examples';
const RULES = ['ours.yaml', 'sloth.yaml'];
/**
 * Each file's recordings before its alerts, so both alerts read the windows of the same minute
 * (Sloth's alerts are a group of their own; left unordered, they would lag a minute at random).
 */
const GROUP_ORDER = [
  'burnrate-myservice-fast',
  'burnrate-myservice-slow',
  ...['sli-recordings', 'meta-recordings', 'alerts'].map(
    (g) => `sloth-slo-${g}-myservice-requests-availability`,
  ),
];
const PER_MINUTE = 6000;
/** Healthy history before the incident: longer than every page window, so only the load decides. */
const BASELINE = 420;
const HEALTHY = 0.0005;
const PAGE_WINDOWS = ['5m', '30m', '1h', '6h'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-gaps-'));
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

/** A stretch of the timeline: a load (error ratio) for some minutes, a scrape gap, or a restart. */
type Stretch =
  | { minutes: number; ratio: number }
  /** Failed scrapes: a stale marker first (Prometheus writes one), then nothing; counters go on. */
  | { gap: number; ratio: number }
  /** The process restarts: `gap` minutes down, counters back from 0. */
  | { restart: number; ratio: number };

/** Input series of the two counters (code 200 and code 500) for a timeline, whole counts only. */
function series(timeline: Stretch[]) {
  const counters = { '200': { value: 0, out: [] as string[] }, '500': { value: 0, out: [] as string[] } };
  const scrape = (ratio: number) => {
    const errors = Math.round(PER_MINUTE * ratio);
    counters['200'].value += PER_MINUTE - errors;
    counters['500'].value += errors;
    for (const c of Object.values(counters)) c.out.push(String(c.value));
  };
  for (const c of Object.values(counters)) c.out.push('0');
  for (const stretch of timeline) {
    if ('minutes' in stretch) {
      for (let i = 0; i < stretch.minutes; i++) scrape(stretch.ratio);
      continue;
    }
    const down = 'gap' in stretch ? stretch.gap : stretch.restart;
    for (const c of Object.values(counters)) c.out.push('stale', ...Array<string>(down - 1).fill('_'));
    if ('restart' in stretch) {
      // What the process counted since the last scrape died with it.
      for (const c of Object.values(counters)) c.value = 0;
    } else {
      // The target kept serving: the gap's requests are in the first counters after it.
      const errors = Math.round(PER_MINUTE * stretch.ratio) * down;
      counters['200'].value += PER_MINUTE * down - errors;
      counters['500'].value += errors;
    }
  }
  return Object.entries(counters).map(([code, c]) => ({
    series: `http_request_duration_seconds_count{job="myservice", code="${code}"}`,
    values: c.out.join(' '),
  }));
}

const minutesOf = (timeline: Stretch[]) =>
  timeline.reduce((sum, s) => sum + ('minutes' in s ? s.minutes : 'gap' in s ? s.gap : s.restart), 0);

const OURS = (window: string) =>
  `slo:sli_error:ratio{service="myservice", slo="requests-availability", window="${window}"}`;
const SLOTH = (window: string) =>
  `slo:sli_error:ratio_rate${window}{sloth_id="myservice-requests-availability"}`;
/** Minutes where the two differ: a value apart, or present in one only. */
const differs = (a: string, b: string) =>
  `(abs(${a} - on () ${b}) > 1e-12) or (${a} unless on () ${b}) or (${b} unless on () ${a})`;
const OURS_PAGE = 'count(ALERTS{alertstate="firing", severity="pageteam"})';
const SLOTH_PAGE = 'count(ALERTS{alertstate="firing", sloth_severity="page"})';
const OURS_TICKET = 'count(ALERTS{alertstate="firing", severity="slack"})';
const SLOTH_TICKET = 'count(ALERTS{alertstate="firing", sloth_severity="ticket"})';

async function compare(timeline: Stretch[]) {
  const input = series([{ minutes: BASELINE, ratio: HEALTHY }, ...timeline]);
  const [from, to] = [BASELINE - 10, BASELINE + minutesOf(timeline)];
  const windows = await Promise.all(
    PAGE_WINDOWS.map(async (w): Promise<[string, number[]]> => [
      w,
      [
        ...(
          await minutesWithData(dir, RULES, input, differs(OURS(w), SLOTH(w)), from, to, GROUP_ORDER)
        ).keys(),
      ],
    ]),
  );
  const firing = async (expr: string) => [
    ...(await minutesWithData(dir, RULES, input, expr, from, to, GROUP_ORDER)).keys(),
  ];
  return {
    windowsDiffer: Object.fromEntries(windows.filter(([, minutes]) => minutes.length > 0)),
    ours: await firing(OURS_PAGE),
    sloth: await firing(SLOTH_PAGE),
    tickets: { ours: await firing(OURS_TICKET), sloth: await firing(SLOTH_TICKET) },
  };
}

const span = (minutes: number[]) => (minutes.length ? [Math.min(...minutes), Math.max(...minutes)] : []);

describe("scrape gaps and restarts inside an incident, against Sloth's rules minute by minute", () => {
  it('a 7-minute scrape gap inside a 40-minute 2% burn: every window reads as Sloth reads it, and neither pages', async () => {
    const result = await compare([
      { minutes: 20, ratio: 0.02 },
      { gap: 7, ratio: 0.02 },
      { minutes: 13, ratio: 0.02 },
      { minutes: 60, ratio: HEALTHY },
    ]);
    expect(result.windowsDiffer).toEqual({});
    expect(result.tickets.ours).toEqual(result.tickets.sloth);
    expect(result.sloth).toEqual([]);
    expect(result.ours).toEqual([]);
  });

  it("a 7-minute scrape gap inside an hour's 5% outage: pages and resolves the minutes Sloth does", async () => {
    const result = await compare([
      { minutes: 20, ratio: 0.05 },
      { gap: 7, ratio: 0.05 },
      { minutes: 33, ratio: 0.05 },
      { minutes: 120, ratio: HEALTHY },
    ]);
    expect(result.windowsDiffer).toEqual({});
    expect(result.tickets.ours).toEqual(result.tickets.sloth);
    expect(result.sloth.length).toBeGreaterThan(30);
    expect(span(result.ours)).toEqual(span(result.sloth));
    expect(result.ours).toEqual(result.sloth);
  });

  it('a restart inside a 5% outage (stale markers, 4 minutes down, counters from 0): as Sloth', async () => {
    const result = await compare([
      { minutes: 25, ratio: 0.05 },
      { restart: 4, ratio: 0.05 },
      { minutes: 31, ratio: 0.05 },
      { minutes: 120, ratio: HEALTHY },
    ]);
    expect(result.windowsDiffer).toEqual({});
    expect(result.tickets.ours).toEqual(result.tickets.sloth);
    expect(result.sloth.length).toBeGreaterThan(30);
    expect(result.ours).toEqual(result.sloth);
  });

  it('repeated gaps and restarts on a healthy service page neither', async () => {
    const result = await compare([
      { minutes: 10, ratio: HEALTHY },
      { gap: 7, ratio: HEALTHY },
      { minutes: 10, ratio: HEALTHY },
      { restart: 3, ratio: HEALTHY },
      { minutes: 3, ratio: HEALTHY },
      { restart: 2, ratio: HEALTHY },
      { minutes: 30, ratio: HEALTHY },
    ]);
    expect(result.windowsDiffer).toEqual({});
    expect(result.tickets.ours).toEqual(result.tickets.sloth);
    expect(result.sloth).toEqual([]);
    expect(result.ours).toEqual([]);
  });

  it('the comparison tells windows apart (ours 1h against Sloth 30m differ inside the outage)', async () => {
    const input = series([
      { minutes: BASELINE, ratio: HEALTHY },
      { minutes: 30, ratio: 0.05 },
    ]);
    const from = BASELINE;
    const found = await minutesWithData(
      dir,
      RULES,
      input,
      differs(OURS('1h'), SLOTH('30m')),
      from,
      from + 30,
      GROUP_ORDER,
    );
    expect(found.size).toBeGreaterThan(25);
  });
});
