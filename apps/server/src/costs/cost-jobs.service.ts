import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import {
  addDays,
  anomalyRulesFromEnv,
  buildWeeklyReports,
  isoWeekOf,
  previousWeek,
  pullCosts,
  queueCostReports,
  reallocateIfChanged,
  type IsoWeek,
} from '@burnrate/finops';
import { StatusStore } from '@burnrate/status';
import { MetricsService } from '@burnrate/telemetry';
import type { Counter, Gauge } from 'prom-client';

import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { REPLICA_ID } from '../status/status-refresh.service.js';

export const REPORT_JOB = 'cost-report-weekly';
export const PULL_JOB = 'cost-pull-daily';

const epochDay = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The calendar day it is in a time zone, `YYYY-MM-DD`. */
export function localDay(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The week a report run at `now` covers: the ISO week before the day it is in REPORT_TIMEZONE. */
export function reportWeekAt(now: Date, timeZone: string): IsoWeek {
  return previousWeek(isoWeekOf(new Date(`${localDay(now, timeZone)}T12:00:00Z`)));
}

/**
 * The cost jobs: the daily pull of each configured provider and the weekly reports (REPORT_CRON,
 * Monday 09:00 in REPORT_TIMEZONE). Every replica's timer fires; the first to claim the tick in
 * PostgreSQL runs it, and the reports' delivery keys make a second queuing a no-op anyway. A
 * catalog whose allocation rules changed re-allocates every past cost line.
 */
@Injectable()
export class CostJobsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CostJobsService.name);
  private running = new Set<Promise<unknown>>();
  private readonly pulls: Counter<'provider' | 'outcome'>;
  private readonly pullRows: Counter<'provider'>;
  private readonly lastPull: Gauge<'provider'>;
  private readonly reportsQueued: Counter;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogProvider,
    private readonly store: StatusStore,
    private readonly scheduler: SchedulerRegistry,
    metrics: MetricsService,
  ) {
    this.pulls = metrics.counter({
      name: 'burnrate_cost_pulls_total',
      help: 'Daily cost pulls this replica ran, by provider and outcome (ok, error).',
      labelNames: ['provider', 'outcome'],
    });
    this.pullRows = metrics.counter({
      name: 'burnrate_cost_pull_rows_total',
      help: 'Cost rows received from the billing APIs by the daily pulls.',
      labelNames: ['provider'],
    });
    this.lastPull = metrics.gauge({
      name: 'burnrate_cost_pull_last_success_timestamp_seconds',
      help: 'When this replica last pulled a provider successfully (alert on its age: a failed pull only logs).',
      labelNames: ['provider'],
    });
    this.reportsQueued = metrics.counter({
      name: 'burnrate_cost_reports_queued_total',
      help: 'Weekly cost report messages queued for delivery.',
    });
  }

  async onModuleInit(): Promise<void> {
    await this.catalog.onChange((catalog) =>
      this.track(
        reallocateIfChanged(this.dataSource, catalog).then(
          (changed) => {
            if (changed)
              this.logger.log('cost allocation rules changed: every cost line was allocated again');
          },
          (error: unknown) =>
            this.logger.error(
              `re-allocating costs failed: ${error instanceof Error ? error.message : String(error)}`,
            ),
        ),
      ),
    );
  }

  onApplicationBootstrap(): void {
    const { cost, reportTimezone } = this.config;
    this.schedule(REPORT_JOB, cost.reportCron, reportTimezone, () => this.weeklyReports());
    if (cost.pullProviders.length > 0) this.schedule(PULL_JOB, cost.pullCron, 'UTC', () => this.dailyPull());
  }

  async onModuleDestroy(): Promise<void> {
    for (const job of [REPORT_JOB, PULL_JOB])
      if (this.scheduler.doesExist('cron', job)) this.scheduler.deleteCronJob(job);
    await Promise.allSettled([...this.running]);
  }

  /** Queues last week's report of every team, once across replicas. */
  async weeklyReports(now: Date = new Date()): Promise<{ week: IsoWeek; queued: number } | undefined> {
    const week = reportWeekAt(now, this.config.reportTimezone);
    if (!(await this.store.claimTick(REPORT_JOB, epochDay(week.from), REPLICA_ID))) return undefined;
    const catalog = this.catalog.current();
    const reports = await buildWeeklyReports(this.dataSource, catalog, week, {
      rules: anomalyRulesFromEnv(this.config.cost.env),
    });
    const queued = await queueCostReports(this.dataSource, catalog, reports);
    this.reportsQueued.inc(queued.queued);
    this.logger.log(
      `${week.week} cost reports: ${reports.length} teams, ${queued.queued} messages queued (${queued.repeats} already were)`,
    );
    return { week, queued: queued.queued };
  }

  /** Pulls the trailing COST_PULL_DAYS up to yesterday from each provider, once a day across replicas. */
  async dailyPull(now: Date = new Date()): Promise<void> {
    const yesterday = addDays(now.toISOString().slice(0, 10), -1);
    const from = addDays(yesterday, 1 - this.config.cost.pullDays);
    for (const provider of this.config.cost.pullProviders) {
      if (!(await this.store.claimTick(`${PULL_JOB}:${provider}`, epochDay(yesterday), REPLICA_ID))) continue;
      try {
        const summary = await pullCosts(this.dataSource, {
          provider,
          from,
          to: yesterday,
          catalog: this.catalog.current(),
          env: this.config.cost.env,
        });
        this.pulls.inc({ provider, outcome: 'ok' });
        this.pullRows.inc({ provider }, summary.rows);
        this.lastPull.set({ provider }, Date.now() / 1000);
        this.logger.log(
          `cost pull ${provider} ${from}..${yesterday}: ${summary.rows} rows in ${summary.requests} requests, ${summary.lines} cost lines`,
        );
      } catch (error) {
        // The next day's pull covers these days again.
        this.pulls.inc({ provider, outcome: 'error' });
        this.logger.error(
          `cost pull ${provider} ${from}..${yesterday} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private schedule(name: string, cronTime: string, timeZone: string, run: () => Promise<unknown>): void {
    const job = CronJob.from({
      cronTime,
      timeZone,
      onTick: () => {
        void this.track(
          run().catch((error: unknown) =>
            this.logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`),
          ),
        );
      },
    });
    this.scheduler.addCronJob(name, job);
    job.start();
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise)).catch(() => undefined);
    return promise;
  }
}
