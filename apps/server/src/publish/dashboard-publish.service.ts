import { Inject, Injectable, Logger } from '@nestjs/common';
import { loadCatalog } from '@burnrate/catalog';
import { generateDashboards, GrafanaPublisher, type PublishResult } from '@burnrate/dashboards';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { PublishError } from './publish.exception.js';

export interface PublishSummary {
  revision: string;
  published: number;
  /** Published dashboards Grafana already held unchanged, so no version was added. */
  unchanged: number;
  conflicts: PublishResult[];
}

/** Generates the dashboards from the catalog and publishes them to Grafana, a folder per team. */
@Injectable()
export class DashboardPublishService {
  private readonly logger = new Logger(DashboardPublishService.name);

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(GrafanaPublisher) private readonly grafana: GrafanaPublisher | null,
  ) {}

  async publishAll(overwrite: boolean): Promise<PublishSummary> {
    if (!this.grafana || !this.config.grafana.url) {
      throw new PublishError(
        'GRAFANA_NOT_CONFIGURED',
        'set GRAFANA_URL and GRAFANA_API_TOKEN to publish dashboards',
      );
    }
    const { catalog, problems } = await loadCatalog([...this.config.catalog.paths]);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new PublishError(
        'INVALID_CATALOG',
        `the catalog has ${errors.length} errors; run \`burnrate validate\``,
      );
    }
    const revision = this.config.catalog.revision ?? 'unknown revision';
    const message = `burnrate: catalog at ${revision}`;
    const files = generateDashboards(catalog, { grafanaUrl: this.config.grafana.publicUrl.href });
    const results = await this.grafana.publishAll(files, { overwrite, message });
    const published = results.filter((r) => r.status === 'published').length;
    const unchanged = results.filter((r) => r.status === 'published' && r.changed === false).length;
    const conflicts = results.filter((r) => r.status === 'conflict');
    this.logger.log(
      `published ${published} dashboards (${unchanged} unchanged, ${conflicts.length} conflicts) from ${revision}`,
    );
    return { revision, published, unchanged, conflicts };
  }
}
