import { watch, type FSWatcher } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { formatProblem, isError, loadCatalog, type Catalog, type Problem } from '@burnrate/catalog';
import { InvalidInputError } from '@burnrate/contracts';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { missingChatVariables } from './missing-chat-secrets.util.js';

/** The catalog does not validate and no earlier one did: nothing to serve from. */
export class CatalogInvalidError extends InvalidInputError {}

/** Told of every catalog that validated and now serves, the first one included. */
export type CatalogListener = (catalog: Catalog) => Promise<void> | void;

/** Edits arrive as bursts of file events (an editor's save, a git checkout): one reload per burst. */
const SETTLE_MS = 300;

/**
 * Loads the catalog at `CATALOG_PATH`, reloads it when its files change (and on demand, for
 * GitOps hooks), and holds it for every module that needs it. A load that does not validate
 * keeps the last good catalog and its problems, so one bad commit never takes the server's
 * picture of the world away.
 */
@Injectable()
export class CatalogProvider implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CatalogProvider.name);
  private good: Catalog | undefined;
  private latestProblems: Problem[] = [];
  private chatWarnings: string[] = [];
  private loadedAt: Date | undefined;
  private readonly listeners: CatalogListener[] = [];
  private readonly watchers: FSWatcher[] = [];
  private settle: NodeJS.Timeout | undefined;
  private reloading: Promise<Problem[]> = Promise.resolve([]);

  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    for (const path of this.config.catalog.paths) {
      try {
        const watcher = watch(path, { recursive: true }, () => this.scheduleReload());
        watcher.on('error', (error) => this.logger.warn(`stopped watching ${path}: ${error.message}`));
        this.watchers.push(watcher);
      } catch (error) {
        this.logger.warn(
          `cannot watch ${path} (${(error as Error).message}); POST /api/v1/catalog/reload reloads`,
        );
      }
    }
  }

  onModuleDestroy(): void {
    clearTimeout(this.settle);
    for (const watcher of this.watchers) watcher.close();
  }

  /** Called with the serving catalog now, if there is one, and after every good reload. */
  async onChange(listener: CatalogListener): Promise<void> {
    this.listeners.push(listener);
    if (this.good) await listener(this.good);
  }

  /** Reads the catalog again; answers the problems of this load (errors mean the old one stays). */
  reload(): Promise<Problem[]> {
    // One load at a time, in order: a burst of changes never races two loads against each other.
    this.reloading = this.reloading.then(
      () => this.load(),
      () => this.load(),
    );
    return this.reloading;
  }

  private scheduleReload(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => void this.reload(), SETTLE_MS);
  }

  private async load(): Promise<Problem[]> {
    const { catalog, problems } = await loadCatalog([...this.config.catalog.paths]);
    this.latestProblems = problems;
    const errors = problems.filter(isError);
    if (errors.length > 0) {
      this.logger.warn(
        `the catalog has ${errors.length} errors; ${this.good ? 'keeping the last good one' : 'no catalog to serve'}: ` +
          errors.slice(0, 5).map(formatProblem).join('; '),
      );
      return problems;
    }
    this.good = catalog;
    this.loadedAt = new Date();
    this.chatWarnings = missingChatVariables(catalog, this.config.environmentNames);
    for (const warning of this.chatWarnings) this.logger.warn(warning);
    for (const listener of this.listeners) {
      try {
        await listener(catalog);
      } catch (error) {
        this.logger.error(`a catalog listener failed: ${(error as Error).message}`);
      }
    }
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

  /** Chat destinations (of teams and services) whose `urlFrom.env` or `tokenFrom.env` variable is not set. */
  get warnings(): readonly string[] {
    return this.chatWarnings;
  }

  /** When the serving catalog was loaded; undefined while none validated. */
  get servingSince(): Date | undefined {
    return this.loadedAt;
  }

  /** Whether the latest load was refused (the serving catalog is an older one, or none). */
  get latestRefused(): boolean {
    return this.latestProblems.some(isError);
  }
}
