import { Injectable, type OnModuleInit } from '@nestjs/common';

import { DatabaseHealthIndicator } from '@burnrate/persistence';
import { HealthService } from '@burnrate/telemetry';

/** Tells the health service which dependencies make the server ready. */
@Injectable()
export class ReadinessChecks implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  onModuleInit(): void {
    this.health.register('database', () => this.database.check());
  }
}
