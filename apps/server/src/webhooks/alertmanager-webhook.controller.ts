import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OutboxStore, parseNotification, routeNotification } from '@burnrate/notify';
import { withSpan } from '@burnrate/telemetry';

import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { DeliverySenderService } from './delivery-sender.service.js';
import { WebhookTokenGuard } from './webhook-token.guard.js';

export class WebhookAcceptedDto {
  @ApiProperty({ description: 'Deliveries queued in the outbox by this notification.' })
  queued!: number;

  @ApiProperty({ description: 'Deliveries already queued by an identical earlier notification (a repeat).' })
  repeats!: number;

  @ApiProperty({
    description: 'Deliveries parked: no team or destination takes them (listed, never dropped).',
  })
  parked!: number;
}

/** Alertmanager's webhook (payload v4) and Grafana alerting's: routed, queued, then answered. */
@ApiTags('alerts')
@ApiBearerAuth('webhook-token')
@UseGuards(WebhookTokenGuard)
@Controller('webhooks')
export class AlertmanagerWebhookController {
  constructor(
    private readonly catalog: CatalogProvider,
    private readonly outbox: OutboxStore,
    private readonly sender: DeliverySenderService,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Post('alertmanager')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: WebhookAcceptedDto,
    description: 'Committed to the outbox; delivery happens after.',
  })
  @ApiBadRequestResponse({ description: 'Not JSON, or not an alert notification.' })
  @ApiUnauthorizedResponse({ description: 'No or wrong bearer token.' })
  @ApiPayloadTooLargeResponse({ description: 'Over 1 MiB.' })
  @ApiServiceUnavailableResponse({ description: 'WEBHOOK_TOKEN is not set: the webhook is off.' })
  receive(@Body() body: unknown): Promise<WebhookAcceptedDto> {
    return withSpan('burnrate.webhook.alertmanager', async (span) => {
      const notification = parseNotification(body);
      const deliveries = routeNotification(notification, this.catalog.current(), {
        ...(this.config.alertFallbackTeam ? { fallbackTeam: this.config.alertFallbackTeam } : {}),
      });
      span.setAttributes({
        'burnrate.alerts': notification.alerts.length,
        'burnrate.deliveries': deliveries.length,
      });
      const result = await this.outbox.enqueue(notification, deliveries);
      if (result.queued > 0) this.sender.wake();
      return result;
    });
  }
}
