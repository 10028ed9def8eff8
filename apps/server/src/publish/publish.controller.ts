import {
  BadGatewayException,
  Controller,
  HttpCode,
  HttpException,
  Post,
  Query,
  ServiceUnavailableException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { GrafanaPublishError } from '@burnrate/dashboards';
import { RulesPublishError, type RulesPublishSummary } from '@burnrate/rules';

import { AdminTokenGuard } from './admin-token.guard.js';
import { DashboardPublishService, type PublishSummary } from './dashboard-publish.service.js';
import { PublishError } from './publish.exception.js';
import { RulesPublishService } from './rules-publish.service.js';

/** The admin API that pushes generated artifacts to Grafana and the rulers. */
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
  @ApiOperation({ summary: 'Generate the dashboards from the catalog and publish them to Grafana' })
  @ApiQuery({ name: 'overwrite', required: false, description: 'replace dashboards changed in Grafana' })
  publishDashboards(@Query('overwrite') overwrite?: string): Promise<PublishSummary> {
    return translated(() => this.dashboards.publishAll(overwrite === 'true'));
  }

  @Post('rules/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Generate the rules from the catalog and push them to the Mimir and Loki rulers' })
  publishRules(): Promise<RulesPublishSummary> {
    return translated(() => this.rules.publishAll());
  }
}

/** Publish errors carry codes; this is where they become HTTP answers. */
async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Grafana or a ruler refused: the gateway failed, not the caller.
    if (error instanceof GrafanaPublishError || error instanceof RulesPublishError)
      throw new BadGatewayException(error.message);
    if (!(error instanceof PublishError)) throw error;
    const toHttp: Record<PublishError['code'], (message: string) => HttpException> = {
      INVALID_CATALOG: (m) => new UnprocessableEntityException(m),
      GRAFANA_NOT_CONFIGURED: (m) => new ServiceUnavailableException(m),
      RULER_NOT_CONFIGURED: (m) => new ServiceUnavailableException(m),
    };
    throw toHttp[error.code](error.message);
  }
}
