import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Catalog } from '@burnrate/catalog';
import { dashboardUrl, tempoExploreUrl } from '@burnrate/rules';
import { SLO_STATES } from '@burnrate/slo';
import {
  PrometheusClient,
  refreshStatus,
  StatusStore,
  trackedSlos,
  type CatalogRows,
  type TrackedSlo,
} from '@burnrate/status';
import { HealthService, MetricsService, withSpan } from '@burnrate/telemetry';

import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';

export const REFRESH_JOB = 'slo-status-refresh';
export const COMPACTION_JOB = 'slo-history-compaction';
const HOUR_MS = 3600_000;

/** This process among the replicas: what a claimed tick records as its runner. */
export const REPLICA_ID = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

/**
 * Keeps every SLO's status: mirrors each good catalog into the database, and every
 * SLO_REFRESH_INTERVAL asks Prometheus a few bulk queries, evaluates every SLO and writes the
 * cycle. Each tick runs on one replica (the first to claim it in PostgreSQL); a failed cycle
 * marks the last good values stale and tells readiness that Prometheus is down.
 */
@Injectable()
export class StatusRefreshService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StatusRefreshService.name);
  private slos: TrackedSlo[] = [];
  private inFlight: Promise<void> | undefined;
  private readonly shutdown = new AbortController();
  /** Why the last cycle failed; undefined after a good one. */
  private lastFailure: string | undefined;
  private cycles = 0;

  private readonly jobDuration;
  private readonly queries;
  private readonly slosByState;
  private readonly snapshotRows;
  private readonly lastSuccess;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly catalog: CatalogProvider,
    private readonly store: StatusStore,
    @Inject(PrometheusClient) private readonly prometheus: PrometheusClient | null,
    private readonly scheduler: SchedulerRegistry,
    private readonly health: HealthService,
    metrics: MetricsService,
  ) {
    this.jobDuration = metrics.histogram({
      name: 'burnrate_job_duration_seconds',
      help: 'Duration of scheduled jobs that ran on this replica, by job and outcome.',
      labelNames: ['job', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    });
    this.queries = metrics.counter({
      name: 'burnrate_prometheus_queries_total',
      help: 'Queries sent to Prometheus by the status refresh, by outcome (ok, error).',
      labelNames: ['outcome'],
    });
    this.slosByState = metrics.gauge({
      name: 'burnrate_slos',
      help: 'SLOs by state at the last refresh this replica ran.',
      labelNames: ['state'],
    });
    this.snapshotRows = metrics.counter({
      name: 'burnrate_snapshot_rows_written_total',
      help: 'SLO status snapshot rows written.',
    });
    this.lastSuccess = metrics.gauge({
      name: 'burnrate_status_last_success_timestamp_seconds',
      help: 'When this replica last refreshed SLO status successfully.',
    });
  }

  async onModuleInit(): Promise<void> {
    this.health.register('catalog', () => {
      const problems = this.catalog.problems.filter((p) => p.severity === 'error');
      if (!this.catalog.servingSince)
        return Promise.reject(new Error(`no catalog validates: ${problems.length} errors`));
      return Promise.resolve(
        this.catalog.latestRefused
          ? `serving the catalog loaded at ${this.catalog.servingSince.toISOString()}; the latest change has ${problems.length} errors (GET /api/v1/catalog)`
          : undefined,
      );
    });
    if (this.prometheus) this.health.register('prometheus', () => this.prometheusHealth());
    await this.catalog.onChange((catalog) => this.syncCatalog(catalog));
  }

  onApplicationBootstrap(): void {
    if (!this.prometheus) return;
    const interval = this.config.status.refreshIntervalMs;
    this.scheduler.addInterval(
      REFRESH_JOB,
      setInterval(() => void this.tick(), interval),
    );
    // The first cycle now, not one interval after start.
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', REFRESH_JOB)) this.scheduler.deleteInterval(REFRESH_JOB);
    // The cycle in flight is abandoned: its queries abort, nothing of it is written.
    this.shutdown.abort();
    await this.inFlight;
  }

  /** Runs this tick's refresh unless the last one is still running or another replica has it. */
  tick(now: Date = new Date()): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.runTick(now).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async runTick(now: Date): Promise<void> {
    const tick = Math.floor(now.getTime() / this.config.status.refreshIntervalMs);
    try {
      if (!(await this.store.claimTick(REFRESH_JOB, tick, REPLICA_ID))) return;
      await this.timed(REFRESH_JOB, () => this.refresh(now));
      const hour = Math.floor(now.getTime() / HOUR_MS);
      if (await this.store.claimTick(COMPACTION_JOB, hour, REPLICA_ID)) {
        await this.timed(COMPACTION_JOB, () =>
          withSpan('burnrate.status.compact-history', () =>
            this.store.compactHistory(now, this.config.status.historyRetentionSeconds),
          ),
        );
      }
    } catch (error) {
      if (this.shutdown.signal.aborted) return;
      // The database is away (restarting): this tick is lost, the next one retries.
      this.logger.warn(`status refresh tick ${tick} failed: ${(error as Error).message}`);
    }
  }

  private async refresh(now: Date): Promise<void> {
    const prometheus = this.prometheus!;
    await withSpan('burnrate.status.refresh', async (span) => {
      span.setAttribute('burnrate.slos', this.slos.length);
      const counted = {
        query: (expr: string, time?: Date, signal?: AbortSignal) =>
          withSpan('prometheus.query', async () => {
            try {
              const samples = await prometheus.query(expr, time, signal);
              this.queries.inc({ outcome: 'ok' });
              return samples;
            } catch (error) {
              this.queries.inc({ outcome: 'error' });
              throw error;
            }
          }),
      };
      let cycle;
      try {
        cycle = await refreshStatus(counted, this.slos, now, {
          fastInterval: this.config.status.fastInterval,
          signal: this.shutdown.signal,
        });
      } catch (error) {
        if (this.shutdown.signal.aborted) throw error;
        this.lastFailure = (error as Error).message;
        this.logger.warn(
          `SLO status refresh failed, keeping the last good values (stale): ${this.lastFailure}`,
        );
        await this.store.markStale();
        throw error;
      }
      const written = await withSpan('burnrate.status.write', () => this.store.recordCycle(cycle), {
        'db.system': 'postgresql',
        'burnrate.snapshots': cycle.statuses.length,
      });
      this.lastFailure = undefined;
      this.cycles += 1;
      this.snapshotRows.inc(written.snapshots);
      this.lastSuccess.set(now.getTime() / 1000);
      for (const state of SLO_STATES)
        this.slosByState.set({ state }, cycle.statuses.filter((s) => s.state === state).length);
      span.setAttributes({ 'burnrate.queries': cycle.queries, 'burnrate.events': written.events });
    });
  }

  private async timed<T>(job: string, work: () => Promise<T>): Promise<T> {
    const end = this.jobDuration.startTimer({ job });
    try {
      const result = await work();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }

  private async prometheusHealth(): Promise<string | void> {
    if (this.lastFailure) throw new Error(this.lastFailure);
    // Before the first cycle (or on a replica whose ticks others ran), ask it directly.
    if (this.cycles === 0) await this.prometheus!.query('vector(1)');
  }

  private async syncCatalog(catalog: Catalog): Promise<void> {
    this.slos = trackedSlos(catalog);
    const rows = catalogRows(catalog, this.slos, this.config);
    const synced = await withSpan('burnrate.catalog.sync', () => this.store.syncCatalog(rows, new Date()), {
      'burnrate.slos': this.slos.length,
    });
    this.logger.log(`catalog synchronised: ${synced.slos} SLOs, ${synced.removed} removed`);
  }
}

/** Teams, services and SLOs as the tables hold them; an SLO's detail has its tiers and links. */
export function catalogRows(
  catalog: Catalog,
  slos: readonly TrackedSlo[],
  config: ServerConfig,
): CatalogRows {
  const grafana = config.grafana.publicUrl.href.replace(/\/+$/, '');
  const services = new Map(catalog.services.map((s) => [s.name, s]));
  return {
    teams: catalog.teams.map((t) => ({ name: t.name, displayName: t.displayName ?? null })),
    services: catalog.services.map((s) => ({ name: s.name, team: s.team, runbook: s.runbook ?? null })),
    slos: slos.map((slo) => {
      const service = services.get(slo.service)!;
      const tempo = service.telemetry.tempo;
      return {
        slo,
        detail: {
          tiers: slo.policy.tiers.map((t) => ({
            severity: t.severity,
            longWindow: t.longWindow,
            shortWindow: t.shortWindow,
            budgetPercent: t.budgetPercent,
            burnRate: t.factor,
            errorRatioThreshold: t.threshold,
          })),
          links: {
            dashboard: dashboardUrl(grafana, service),
            runbook: service.runbook ?? null,
            traces: tempo ? tempoExploreUrl(grafana, 'tempo', tempo.serviceName) : null,
          },
        },
      };
    }),
  };
}
