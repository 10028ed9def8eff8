import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';

import { HealthService } from '@burnrate/telemetry';

import { CheckResultDto, LivenessDto, ReadinessDto } from './health.dto.js';

@ApiTags('operations')
@ApiExtraModels(CheckResultDto)
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @ApiOkResponse({ type: LivenessDto, description: 'The process is up and serving requests.' })
  liveness(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOkResponse({ type: ReadinessDto, description: 'Every dependency (the database) answers.' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'A dependency is down; see `checks`.' })
  async readiness(): Promise<ReadinessDto> {
    const report = await this.health.readiness();
    if (report.status !== 'ready') throw new ServiceUnavailableException(report);
    return report;
  }
}
