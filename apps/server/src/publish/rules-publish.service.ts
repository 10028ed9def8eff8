import { Inject, Injectable, Logger } from '@nestjs/common';
import { FeatureDisabledError } from '@burnrate/contracts';
import { rulesOptionsOf } from '@burnrate/pipeline';
import { publishRules, type RulerClient, type RulesPublishSummary } from '@burnrate/publish';

import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { pipelineOptionsOf } from './pipeline-options.js';

export const MIMIR_RULER = Symbol('MIMIR_RULER');
export const LOKI_RULER = Symbol('LOKI_RULER');

/** Generates the rules from the catalog and reconciles the configured Mimir and Loki rulers with them. */
@Injectable()
export class RulesPublishService {
  private readonly logger = new Logger(RulesPublishService.name);

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(MIMIR_RULER) private readonly mimir: RulerClient | null,
    @Inject(LOKI_RULER) private readonly loki: RulerClient | null,
    private readonly catalog: CatalogProvider,
  ) {}

  async publishAll(): Promise<RulesPublishSummary> {
    if (!this.mimir && !this.loki) {
      throw new FeatureDisabledError(
        'ruler-not-configured',
        'set MIMIR_RULER_URL and/or LOKI_RULER_URL to publish rules',
      );
    }
    const summary = await publishRules(
      this.catalog.current(),
      rulesOptionsOf(pipelineOptionsOf(this.config)),
      {
        ...(this.mimir ? { prometheus: this.mimir } : {}),
        ...(this.loki ? { loki: this.loki } : {}),
      },
    );
    this.logger.log(
      `pushed ${summary.groups} rule groups (${summary.prometheusNamespaces} Prometheus, ${summary.lokiNamespaces} Loki namespaces), deleted ${summary.deleted.length}`,
    );
    return summary;
  }
}
