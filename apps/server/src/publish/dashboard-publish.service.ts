import { Inject, Injectable, Logger } from '@nestjs/common';
import { generateDashboards } from '@burnrate/dashboards';
import { FeatureDisabledError } from '@burnrate/contracts';
import { dashboardsOptionsOf } from '@burnrate/pipeline';
import { GrafanaPublisher, type PublishResult, type RemovedDashboard } from '@burnrate/publish';

import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { pipelineOptionsOf } from './pipeline-options.js';

export interface PublishSummary {
  revision: string;
  published: number;
  /** Published dashboards Grafana already held unchanged, so no version was added. */
  unchanged: number;
  conflicts: PublishResult[];
  /** Dashboards of services that left the catalog: deleted, or kept when someone else saved them. */
  removed: RemovedDashboard[];
}

/** Generates the dashboards from the catalog and reconciles Grafana with them, a folder per team. */
@Injectable()
export class DashboardPublishService {
  private readonly logger = new Logger(DashboardPublishService.name);

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(GrafanaPublisher) private readonly grafana: GrafanaPublisher | null,
    private readonly catalog: CatalogProvider,
  ) {}

  async publishAll(overwrite: boolean): Promise<PublishSummary> {
    if (!this.grafana) {
      throw new FeatureDisabledError(
        'grafana-not-configured',
        'set GRAFANA_URL and GRAFANA_API_TOKEN to publish dashboards',
      );
    }
    const catalog = this.catalog.current();
    const revision = this.config.catalog.revision ?? 'unknown revision';
    const files = generateDashboards(catalog, dashboardsOptionsOf(pipelineOptionsOf(this.config)));
    const results = await this.grafana.publishAll(files, {
      overwrite,
      message: `burnrate: catalog at ${revision}`,
    });
    const removed = await this.grafana.deleteRemoved(files);
    const published = results.filter((r) => r.status === 'published').length;
    const unchanged = results.filter((r) => r.status === 'published' && r.changed === false).length;
    const conflicts = results.filter((r) => r.status === 'conflict');
    this.logger.log(
      `published ${published} dashboards (${unchanged} unchanged, ${conflicts.length} conflicts, ${removed.filter((r) => r.status === 'deleted').length} deleted) from ${revision}`,
    );
    return { revision, published, unchanged, conflicts, removed };
  }
}
