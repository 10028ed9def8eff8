import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { isError, loadCatalog, type Catalog, type Problem } from '@burnrate/catalog';
import { InvalidInputError } from '@burnrate/contracts';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';

/** The catalog does not validate and no earlier one did: nothing to serve from. */
export class CatalogInvalidError extends InvalidInputError {}

/**
 * Loads the catalog at `CATALOG_PATH` and holds it for every module that needs it. A load that
 * does not validate keeps the last good catalog and its problems, so one bad commit never takes
 * the server's picture of the world away.
 */
@Injectable()
export class CatalogProvider implements OnModuleInit {
  private readonly logger = new Logger(CatalogProvider.name);
  private good: Catalog | undefined;
  private latestProblems: Problem[] = [];

  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  /** Reads the catalog again; answers the problems of this load (errors mean the old one stays). */
  async reload(): Promise<Problem[]> {
    const { catalog, problems } = await loadCatalog([...this.config.catalog.paths]);
    this.latestProblems = problems;
    const errors = problems.filter(isError).length;
    if (errors === 0) this.good = catalog;
    else
      this.logger.warn(
        `the catalog has ${errors} errors; ${this.good ? 'keeping the last good one' : 'no catalog to serve'}`,
      );
    return problems;
  }

  /** The last catalog that validated. */
  current(): Catalog {
    if (this.good) return this.good;
    const errors = this.latestProblems.filter(isError).length;
    throw new CatalogInvalidError(
      'invalid-catalog',
      `the catalog has ${errors} errors; run \`burnrate validate\``,
    );
  }

  get problems(): readonly Problem[] {
    return this.latestProblems;
  }
}
