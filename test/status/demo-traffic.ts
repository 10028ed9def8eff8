/**
 * A small instrumented service whose error share the test sets: every 100 ms it serves
 * `perTick` requests, of which a share fails (code 500), counted with prom-client and exposed on
 * /metrics. Every tick is logged, so a test computes any window's error ratio by hand.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Registry } from 'prom-client';

const TICK_MS = 100;

export interface Injection {
  /** Unix milliseconds. */
  at: number;
  errors: number;
  total: number;
}

export interface DemoTraffic {
  port: number;
  /** Share of requests that fail from now on. */
  setErrorShare(share: number): void;
  readonly log: readonly Injection[];
  /**
   * When Prometheus first scraped it (Unix ms). Requests served before are inside the first
   * sample's value, never inside a `rate()` increase: hand counts start here, as Prometheus' do.
   */
  readonly firstScrapeAt: number | undefined;
  /** Errors over requests served in (from, to] (Unix ms) that Prometheus can count: after the first scrape. */
  ratioBetween(from: number, to: number): number;
  stop(): Promise<void>;
}

export async function startDemoTraffic(perTick = 20): Promise<DemoTraffic> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'demo_requests_total',
    help: 'Requests served, by status code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const log: Injection[] = [];
  let share = 0;
  let firstScrapeAt: number | undefined;
  // Both series exist from the first scrape, so rate() over a young window sees every request.
  requests.inc({ code: '200' }, 0);
  requests.inc({ code: '500' }, 0);
  const timer = setInterval(() => {
    const errors = Math.round(perTick * share);
    requests.inc({ code: '500' }, errors);
    requests.inc({ code: '200' }, perTick - errors);
    log.push({ at: Date.now(), errors, total: perTick });
  }, TICK_MS);

  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    firstScrapeAt ??= Date.now();
    void registry.metrics().then((text) => {
      response.writeHead(200, { 'Content-Type': registry.contentType }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('demo service is not on TCP');

  return {
    port: address.port,
    setErrorShare(next) {
      share = next;
    },
    log,
    get firstScrapeAt() {
      return firstScrapeAt;
    },
    ratioBetween(from, to) {
      let errors = 0;
      let total = 0;
      const start = Math.max(from, firstScrapeAt ?? Infinity);
      for (const entry of log) {
        if (entry.at <= start || entry.at > to) continue;
        errors += entry.errors;
        total += entry.total;
      }
      return errors / total;
    },
    async stop() {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
