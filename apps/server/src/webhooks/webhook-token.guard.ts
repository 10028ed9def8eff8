import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { FeatureDisabledError } from '@burnrate/contracts';

import { bearerMatches, type RequestWithHeaders } from '../auth/bearer.util.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';

/** `Authorization: Bearer $WEBHOOK_TOKEN`, compared in constant time; without WEBHOOK_TOKEN the webhook is off (503), never open. */
@Injectable()
export class WebhookTokenGuard implements CanActivate {
  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.webhookToken;
    if (!expected)
      throw new FeatureDisabledError('webhook-off', 'the Alertmanager webhook is off: set WEBHOOK_TOKEN');
    const header = context.switchToHttp().getRequest<RequestWithHeaders>().headers.authorization;
    if (!bearerMatches(header, expected))
      throw new UnauthorizedException('a valid webhook bearer token is required');
    return true;
  }
}
