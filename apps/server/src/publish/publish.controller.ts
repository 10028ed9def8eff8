import { Controller, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery } from '@nestjs/swagger';
import type { RulesPublishSummary } from '@burnrate/publish';

import { AdminTokenGuard } from './admin-token.guard.js';
import { DashboardPublishService, type PublishSummary } from './dashboard-publish.service.js';
import { RulesPublishService } from './rules-publish.service.js';

/** The admin API that reconciles Grafana and the rulers with the generated artifacts. */
@Controller('api/v1')
@UseGuards(AdminTokenGuard)
@ApiBearerAuth()
export class PublishController {
  constructor(
    private readonly dashboards: DashboardPublishService,
    private readonly rules: RulesPublishService,
  ) {}

  @Post('dashboards/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Generate the dashboards from the catalog and reconcile Grafana with them' })
  @ApiQuery({ name: 'overwrite', required: false, description: 'replace dashboards changed in Grafana' })
  publishDashboards(@Query('overwrite') overwrite?: string): Promise<PublishSummary> {
    return this.dashboards.publishAll(overwrite === 'true');
  }

  @Post('rules/publish')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Generate the rules from the catalog and reconcile the Mimir and Loki rulers with them',
  })
  publishRules(): Promise<RulesPublishSummary> {
    return this.rules.publishAll();
  }
}
