import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';

import { bearerMatches, type RequestWithHeaders } from '../auth/bearer.util.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';

/** The admin API needs `Authorization: Bearer $ADMIN_TOKEN`; without ADMIN_TOKEN it is closed. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminToken;
    const header = context.switchToHttp().getRequest<RequestWithHeaders>().headers.authorization;
    if (!expected || !bearerMatches(header, expected)) {
      throw new UnauthorizedException('a valid admin bearer token is required');
    }
    return true;
  }
}
