import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Catalog } from '@burnrate/catalog';
import { renderReportMessage, type CostReport } from '@burnrate/finops';
import {
  ChatTransport,
  DEFAULT_MIN_INTERVAL_MS,
  DeliveryStore,
  DeliveryWorker,
  MessageRenderer,
  SlackBot,
  TemplateRenderError,
  type DeliveryPayload,
  type Destination,
  type OutboxRow,
  type Prepared,
  type SloFigures,
} from '@burnrate/notify';
import { StatusStore } from '@burnrate/status';
import { MetricsService } from '@burnrate/telemetry';

import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { REPLICA_ID } from '../status/status-refresh.service.js';

/** How often an idle sender looks for due work another replica queued or a backoff released. */
const IDLE_POLL_MS = 250;
/** After a wake, how long the sender lets further webhooks land before it claims again. */
const WAKE_DEBOUNCE_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A delivery older than this is parked, whatever its attempts. */
const MAX_AGE_MS = 24 * 3600_000;

/** The template source a destination names, from the catalog being served. */
function templateOf(catalog: Catalog, destination: Destination): string | undefined {
  if (!destination.templateFile) return undefined;
  const owner =
    destination.owner.kind === 'team'
      ? catalog.teams.find((t) => t.name === destination.owner.name)
      : catalog.services.find((s) => s.name === destination.owner.name);
  const template = owner?.chat[destination.index]?.template;
  return template?.file === destination.templateFile ? template.source : undefined;
}

/**
 * Sends the outbox to chat: a loop that claims due destinations, renders each one's next message
 * (the team's template or the built-in one, with the SLO's burn and budget from the status
 * store) and records the answer. Woken at once when the webhook queues work; otherwise it polls.
 */
@Injectable()
export class DeliverySenderService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliverySenderService.name);
  private readonly renderer = new MessageRenderer();
  private readonly worker: DeliveryWorker;
  private readonly slack: SlackBot;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly catalog: CatalogProvider,
    private readonly store: DeliveryStore,
    private readonly status: StatusStore,
    slack: SlackBot,
    metrics: MetricsService,
  ) {
    this.slack = slack;
    const attempts = metrics.counter({
      name: 'burnrate_deliveries_total',
      help: 'Attempts to deliver chat messages, by chat type and outcome (delivered, retry, rejected) and the row status after.',
      labelNames: ['type', 'outcome', 'status'],
    });
    metrics.gauge({
      name: 'burnrate_deliveries',
      help: 'Deliveries in the outbox waiting (pending) or given up on (parked: GET /api/v1/deliveries?status=parked).',
      labelNames: ['status'],
      async collect() {
        const counts = await store.counts().catch(() => undefined);
        if (!counts) return;
        this.set({ status: 'pending' }, counts.pending);
        this.set({ status: 'parked' }, counts.parked);
      },
    });
    this.worker = new DeliveryWorker(
      {
        store,
        transport: new ChatTransport(config.delivery.timeoutMs),
        prepare: (row) => this.prepare(row),
        now: () => new Date(),
        random: Math.random,
        observe: (row, type, outcome, status) => {
          attempts.inc({ type, outcome: outcome.kind, status });
          if (status === 'parked')
            this.logger.warn(
              `delivery ${row.id} to ${row.destinationKey} parked: ${'error' in outcome ? outcome.error : ''}`,
            );
        },
      },
      {
        replica: REPLICA_ID,
        concurrency: config.delivery.concurrency,
        // Longer than one request can take, so a live sender never loses its lane mid-request.
        leaseMs: config.delivery.timeoutMs * 2 + 2000,
        limits: { maxAttempts: config.delivery.maxAttempts, maxAgeMs: MAX_AGE_MS },
        policy: config.delivery.backoff,
        minIntervalMs: DEFAULT_MIN_INTERVAL_MS,
      },
    );
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /** Lets in-flight requests finish and their answers be recorded, then stops. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** New work is committed: send now rather than at the next poll. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let sent = 0;
      try {
        this.pendingWake = false;
        sent = await this.worker.runOnce();
      } catch (error) {
        this.logger.warn(`delivery round failed: ${(error as Error).message}`);
      }
      if (this.stopped || sent > 0) continue;
      // Nothing was due. Woken meanwhile (a burst of webhooks): look again shortly, not at once,
      // so a burst does not turn the sender into a loop of claim queries beside the inserts.
      if (this.pendingWake) await sleep(WAKE_DEBOUNCE_MS);
      else await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, IDLE_POLL_MS);
      this.wakeUp = done;
    });
  }

  private async prepare(row: OutboxRow): Promise<Prepared> {
    const payload = row.payload as unknown as DeliveryPayload & { destination: Destination };
    const destination = payload.destination;
    const type = destination.type;
    const secret = this.config.delivery.secret;
    const rendered = await this.render(row, payload, destination);
    if (!('body' in rendered)) return rendered;
    const body = rendered.body;
    if (destination.tokenFromEnv) {
      const token = secret(destination.tokenFromEnv);
      if (!token) return { type, error: `the Slack token variable ${destination.tokenFromEnv} is not set` };
      const text = typeof body['text'] === 'string' ? body['text'] : payload.status;
      return {
        type,
        send: () =>
          this.slack.deliver({
            token,
            channel: destination.channel ?? '',
            status: payload.status,
            body,
            replyText: `${text} (resolved at ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')})`,
            destinationKey: row.destinationKey,
            groupKey: row.groupKey,
            idempotencyKey: row.key,
          }),
      };
    }
    const url = destination.url ?? (destination.urlFromEnv ? secret(destination.urlFromEnv) : undefined);
    if (!url) return { type, error: `the URL variable ${destination.urlFromEnv ?? '(none)'} is not set` };
    return { type, request: { url, body, idempotencyKey: row.key } };
  }

  /** The message body: an alert group in its destination's template, or a weekly cost report. */
  private async render(
    row: OutboxRow,
    payload: DeliveryPayload & { destination: Destination },
    destination: Destination,
  ): Promise<{ body: Record<string, unknown> } | Prepared> {
    const type = destination.type;
    if ((row.payload as { kind?: string }).kind === 'cost-report')
      // Team templates are for alerts: a report takes its destination's built-in format.
      return { body: renderReportMessage((row.payload as unknown as { report: CostReport }).report, type) };
    try {
      return {
        body: this.renderer.render(
          type,
          payload,
          {
            ...(this.config.delivery.alertmanagerUrl
              ? { alertmanagerUrl: this.config.delivery.alertmanagerUrl.href }
              : {}),
            ...(await this.figures(payload).then((figures) => (figures ? { figures } : {}))),
            team: destination.team,
          },
          templateOf(this.catalog.current(), destination),
        ).body,
      };
    } catch (error) {
      if (error instanceof TemplateRenderError)
        return {
          type,
          permanent: true,
          error: `${destination.templateFile ?? `the ${type} template`}: ${error.message}`,
        };
      throw error;
    }
  }

  /** The SLO's burn and budget from the last status refresh; none when it is not tracked. */
  private async figures(payload: DeliveryPayload): Promise<SloFigures | undefined> {
    const labels = { ...payload.alerts[0]?.labels, ...payload.commonLabels };
    const service = labels['service'];
    const slo = labels['slo'];
    if (!service || !slo) return undefined;
    const items = await this.status.listSlos({ service, limit: 200 }).catch(() => []);
    const item = items.find((i) => i.slo === slo);
    if (!item) return undefined;
    return {
      burnRate1h: item.burnRates['1h'] ?? null,
      budgetRemaining: item.errorBudget.remaining,
      state: item.state,
    };
  }
}
