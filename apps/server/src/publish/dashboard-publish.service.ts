import { Inject, Injectable, Logger } from '@nestjs/common';
import { loadCatalog } from '@burnrate/catalog';
import {
  generateDashboards,
  GrafanaPublisher,
  PLATFORM_FOLDER,
  teamFolderUid,
  type PublishResult,
} from '@burnrate/dashboards';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { PublishError } from './publish.exception.js';

export interface PublishSummary {
  revision: string;
  published: number;
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
    const files = generateDashboards(catalog, { grafanaUrl: this.config.grafana.url.href });
    const conflicts: PublishResult[] = [];
    let published = 0;
    for (const file of files.filter((f) => f.path.endsWith('.json'))) {
      const team = file.path.split('/')[1]!;
      const folder =
        team === '_burnrate'
          ? { uid: 'burnrate', title: PLATFORM_FOLDER }
          : { uid: teamFolderUid(team), title: team };
      const result = await this.grafana.publish(JSON.parse(file.content) as { uid: string }, folder, {
        overwrite,
        message,
      });
      if (result.status === 'published') published++;
      else conflicts.push(result);
    }
    this.logger.log(`published ${published} dashboards (${conflicts.length} conflicts) from ${revision}`);
    return { revision, published, conflicts };
  }
}
