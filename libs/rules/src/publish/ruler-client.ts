import type { RuleGroup } from '../rule.model.js';
import { toYaml } from '../yaml.util.js';

/** The slice of `fetch` the publishers use, so tests and servers can inject their own. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

export class RulesPublishError extends Error {
  readonly code = 'rules-publish-failed';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RulesPublishError';
  }
}

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
 * Pushes rule groups to a Mimir, Cortex or Loki ruler: one `POST <prefix>/config/v1/rules/<ns>`
 * (Loki: `<prefix>/rules/<ns>`) per group, the body being that group as YAML.
 */
export class RulerClient {
  constructor(private readonly options: RulerClientOptions) {}

  async pushNamespace(namespace: string, groups: readonly RuleGroup[]): Promise<void> {
    for (const group of groups) {
      await this.send('POST', this.namespaceUrl(namespace), toYaml(group));
    }
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.send('DELETE', this.namespaceUrl(namespace));
  }

  private namespaceUrl(namespace: string): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const prefix = this.options.prefix.replace(/\/+$/, '');
    const path = prefix.endsWith('/loki/api/v1') ? '/rules' : '/config/v1/rules';
    return `${base}${prefix}${path}/${encodeURIComponent(namespace)}`;
  }

  private async send(method: string, url: string, body?: string): Promise<void> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/yaml';
    if (this.options.tenant) headers['X-Scope-OrgID'] = this.options.tenant;
    const response = await this.options.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    if (!response.ok) {
      const text = await response.text();
      throw new RulesPublishError(`${method} ${url} answered ${response.status}: ${text.slice(0, 200)}`, response.status);
    }
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
    const response = await this.fetch(url, { method: 'POST', headers: {} });
    if (!response.ok) {
      throw new RulesPublishError(`POST ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`, response.status);
    }
  }
}
