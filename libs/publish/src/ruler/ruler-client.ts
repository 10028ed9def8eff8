import { fetchFailureReason as reason, UpstreamError, type FetchLike } from '@burnrate/contracts';
import { toYaml, type RuleGroup } from '@burnrate/rules';
import { parse as parseYaml } from 'yaml';

/** A ruler or Prometheus could not be reached or refused a request. */
export class RulesPublishError extends UpstreamError {}

export interface RulerClientOptions {
  /** `http://mimir:8080`, `http://loki:3100`. */
  baseUrl: string;
  /** `/prometheus` (Mimir default), `/api/v1` (Cortex), `/loki/api/v1` (Loki). */
  prefix: string;
  /** Tenant for multi-tenant rulers (X-Scope-OrgID). */
  tenant?: string;
  fetch: FetchLike;
}

/**
 * A Mimir, Cortex or Loki ruler: one `POST <prefix>/config/v1/rules/<ns>` (Loki:
 * `<prefix>/rules/<ns>`) per group, the body being that group as YAML; the same route lists the
 * namespaces (GET) and deletes one (DELETE).
 */
export class RulerClient {
  constructor(private readonly options: RulerClientOptions) {}

  /** `Mimir ruler at http://mimir:8080/prometheus`: how errors name this upstream. */
  get name(): string {
    const kind = this.options.prefix.includes('loki') ? 'Loki ruler' : 'Mimir ruler';
    return `${kind} at ${this.options.baseUrl.replace(/\/+$/, '')}${this.options.prefix}`;
  }

  async pushNamespace(namespace: string, groups: readonly RuleGroup[]): Promise<void> {
    for (const group of groups) {
      await this.send('POST', `${this.rulesUrl()}/${encodeURIComponent(namespace)}`, toYaml(group));
    }
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.send('DELETE', `${this.rulesUrl()}/${encodeURIComponent(namespace)}`);
  }

  /** Every namespace of the tenant and the names of its groups (a ruler with none answers 404). */
  async listNamespaces(): Promise<Map<string, string[]>> {
    const text = await this.send('GET', this.rulesUrl(), undefined, [404]);
    const namespaces = new Map<string, string[]>();
    const parsed = (text ? parseYaml(text) : {}) as Record<string, { name?: string }[] | null> | null;
    for (const [namespace, groups] of Object.entries(parsed ?? {})) {
      namespaces.set(
        namespace,
        (groups ?? []).map((g) => g.name ?? ''),
      );
    }
    return namespaces;
  }

  private rulesUrl(): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const prefix = this.options.prefix.replace(/\/+$/, '');
    return `${base}${prefix}${prefix.endsWith('/loki/api/v1') ? '/rules' : '/config/v1/rules'}`;
  }

  private async send(method: string, url: string, body?: string, empty: number[] = []): Promise<string> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/yaml';
    if (this.options.tenant) headers['X-Scope-OrgID'] = this.options.tenant;
    const response = await this.options
      .fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) })
      .catch((cause: unknown) => {
        throw new RulesPublishError(
          'ruler-unreachable',
          `${this.name} is unreachable: ${reason(cause)}`,
          this.name,
        );
      });
    if (empty.includes(response.status)) return '';
    const text = await response.text();
    if (!response.ok) {
      throw new RulesPublishError(
        'ruler-refused',
        `${this.name} refused ${method} ${url}: HTTP ${response.status}: ${text.slice(0, 200)}`,
        this.name,
        response.status,
      );
    }
    return text;
  }
}

/** Asks Prometheus to re-read its rule files (needs `--web.enable-lifecycle`). */
export class PrometheusReloader {
  constructor(
    private readonly baseUrl: string,
    private readonly fetch: FetchLike,
  ) {}

  async reload(): Promise<void> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/-/reload`;
    const name = `Prometheus at ${this.baseUrl}`;
    const response = await this.fetch(url, { method: 'POST', headers: {} }).catch((cause: unknown) => {
      throw new RulesPublishError('prometheus-unreachable', `${name} is unreachable: ${reason(cause)}`, name);
    });
    if (!response.ok) {
      const text = (await response.text()).slice(0, 200);
      throw new RulesPublishError(
        'prometheus-refused',
        `${name} refused POST ${url}: HTTP ${response.status}: ${text}`,
        name,
        response.status,
      );
    }
  }
}
