import { Inject, Injectable, Logger } from '@nestjs/common';
import { loadCatalog } from '@burnrate/catalog';
import { publishRules, RulerClient, type RulesPublishSummary } from '@burnrate/rules';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { PublishError } from './publish.exception.js';

/** Generates the rules from the catalog and pushes them to the configured Mimir and Loki rulers. */
@Injectable()
export class RulesPublishService {
  private readonly logger = new Logger(RulesPublishService.name);

  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  async publishAll(): Promise<RulesPublishSummary> {
    const { mimir, loki, tenant } = this.config.rulers;
    if (!mimir && !loki)
      throw new PublishError(
        'RULER_NOT_CONFIGURED',
        'set MIMIR_RULER_URL and/or LOKI_RULER_URL to publish rules',
      );
    const { catalog, problems } = await loadCatalog([...this.config.catalog.paths]);
    const errors = problems.filter((p) => p.severity === 'error').length;
    if (errors > 0)
      throw new PublishError(
        'INVALID_CATALOG',
        `the catalog has ${errors} errors; run \`burnrate validate\``,
      );
    const client = (target: { url: URL; prefix: string }) =>
      new RulerClient({
        baseUrl: target.url.href,
        prefix: target.prefix,
        fetch: (url, init) => fetch(url, init),
        ...(tenant ? { tenant } : {}),
      });
    const summary = await publishRules(
      catalog,
      { grafanaUrl: this.config.grafana.publicUrl.href, promtoolTests: false },
      { ...(mimir ? { prometheus: client(mimir) } : {}), ...(loki ? { loki: client(loki) } : {}) },
    );
    this.logger.log(
      `pushed ${summary.groups} rule groups (${summary.prometheusNamespaces} Prometheus, ${summary.lokiNamespaces} Loki namespaces)`,
    );
    return summary;
  }
}
