import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
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
  async readiness(
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<ReadinessDto> {
    const report = await this.health.readiness();
    // Not ready is an answer, not an error: the same body, with the status load balancers read.
    if (report.status !== 'ready') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
