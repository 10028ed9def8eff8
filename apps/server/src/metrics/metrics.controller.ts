import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';

import { MetricsService, PROMETHEUS_CONTENT_TYPE } from '@burnrate/telemetry';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiProduces(PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: "Burnrate's own metrics in the Prometheus text format.", type: String })
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
