/**
 * A small instrumented demo of the example catalog's services: prom-client metrics in both HTTP
 * conventions plus a queue worker, a database client and a blackbox probe, fed with synthetic
 * traffic (about 1% server errors, latencies spread over the buckets).
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const OTEL_SERVICES: [string, string][] = [
  ['checkout-api', '/api/checkout'],
  ['storefront-web', '/'],
  ['catalog-api', '/products'],
  ['search-api', '/search'],
  ['inventory-service', '/stock'],
  ['auth-service', '/oauth/token'],
  ['recommendations-api', '/recommendations'],
  ['reporting-api', '/reports'],
];

export interface DemoService {
  port: number;
  stop(): Promise<void>;
}

export async function startDemoService(): Promise<DemoService> {
  const registry = new Registry();
  const otel = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests (OpenTelemetry semantic conventions).',
    labelNames: ['service_name', 'http_route', 'http_request_method', 'http_response_status_code'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const classicRequests = new Counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['job', 'handler', 'code'],
    registers: [registry],
  });
  const classicDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request duration.',
    labelNames: ['job', 'handler'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'queue_jobs_processed_total',
    help: 'Jobs.',
    labelNames: ['service_name', 'queue', 'status'],
    registers: [registry],
  });
  const wait = new Histogram({
    name: 'queue_job_wait_duration_seconds',
    help: 'Queue wait.',
    labelNames: ['service_name', 'queue'],
    buckets: [1, 5, 10, 30, 60],
    registers: [registry],
  });
  const db = new Histogram({
    name: 'db_client_operation_duration_seconds',
    help: 'DB operations.',
    labelNames: ['service_name', 'db_system'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const ingress = new Counter({
    name: 'nginx_ingress_controller_requests',
    help: 'Ingress requests.',
    labelNames: ['ingress', 'status'],
    registers: [registry],
  });
  const probe = new Gauge({
    name: 'probe_success',
    help: 'Blackbox probe.',
    labelNames: ['job', 'instance'],
    registers: [registry],
  });

  let tick = 0;
  const traffic = () => {
    tick++;
    for (let i = 0; i < 50; i++) {
      const error = (tick * 50 + i) % 100 === 0;
      const latency = BUCKETS[(tick + i) % 9]! * 0.9;
      for (const [service, route] of OTEL_SERVICES) {
        otel.observe(
          {
            service_name: service,
            http_route: route,
            http_request_method: 'GET',
            http_response_status_code: error ? '500' : '200',
          },
          latency,
        );
      }
      classicRequests.inc({ job: 'payments-gateway', handler: '/authorize', code: error ? '503' : '200' });
      classicDuration.observe({ job: 'payments-gateway', handler: '/authorize' }, latency);
      jobs.inc({ service_name: 'order-worker', queue: 'orders', status: error ? 'failed' : 'succeeded' });
      wait.observe({ service_name: 'order-worker', queue: 'orders' }, (i % 40) + 0.5);
      db.observe({ service_name: 'inventory-service', db_system: 'postgresql' }, latency / 10);
      ingress.inc({ ingress: 'edge', status: error ? '502' : '200' });
    }
    probe.set({ job: 'blackbox', instance: 'https://status.example.com' }, tick % 50 === 0 ? 0 : 1);
  };
  traffic();
  const timer = setInterval(traffic, 200);

  const served = await serveRegistry(registry);
  return {
    port: served.port,
    stop: async () => {
      clearInterval(timer);
      await served.stop();
    },
  };
}

/** Serves a prom-client registry in the text exposition format on a free local port. */
export async function serveRegistry(registry: Registry): Promise<DemoService> {
  const server: Server = createServer((_req, res) => {
    void registry.metrics().then((body) => {
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
