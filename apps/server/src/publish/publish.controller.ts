import {
  Controller,
  HttpCode,
  Post,
  Query,
  ServiceUnavailableException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery } from '@nestjs/swagger';

import { AdminTokenGuard } from './admin-token.guard.js';
import { DashboardPublishService, type PublishSummary } from './dashboard-publish.service.js';
import { PublishError } from './publish.exception.js';

@Controller('api/v1/dashboards')
@UseGuards(AdminTokenGuard)
@ApiBearerAuth()
export class PublishController {
  constructor(private readonly publisher: DashboardPublishService) {}

  @Post('publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Generate the dashboards from the catalog and publish them to Grafana' })
  @ApiQuery({ name: 'overwrite', required: false, description: 'replace dashboards changed in Grafana' })
  async publish(@Query('overwrite') overwrite?: string): Promise<PublishSummary> {
    try {
      return await this.publisher.publishAll(overwrite === 'true');
    } catch (error) {
      if (error instanceof PublishError) {
        throw error.code === 'INVALID_CATALOG'
          ? new UnprocessableEntityException(error.message)
          : new ServiceUnavailableException(error.message);
      }
      throw error;
    }
  }
}
