import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';

import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';
import { bearerMatches, type RequestWithHeaders } from './bearer.util.js';

/** The read API is open, unless API_READ_TOKEN is set: then `Authorization: Bearer` it. */
@Injectable()
export class ReadTokenGuard implements CanActivate {
  constructor(@Inject(SERVER_CONFIG) private readonly config: ServerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.apiReadToken;
    if (!expected) return true;
    const header = context.switchToHttp().getRequest<RequestWithHeaders>().headers.authorization;
    if (!bearerMatches(header, expected))
      throw new UnauthorizedException('a valid read bearer token is required');
    return true;
  }
}
