import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { InvalidParameterError, NotFoundError } from '@burnrate/contracts';
import { DeliveryStore, type DeliveryItem } from '@burnrate/notify';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { AdminTokenGuard } from '../publish/admin-token.guard.js';

const STATUSES = ['pending', 'delivered', 'parked'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

type Query = Record<string, string | string[] | undefined>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new InvalidParameterError(name, 'may be given once');
  return value === undefined || value === '' ? undefined : value;
}

/** The outbox as people read it: what was sent, what waits, what is parked and why. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly store: DeliveryStore) {}

  @Get()
  @UseGuards(ReadTokenGuard)
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })
  @ApiOkResponse({ description: 'Deliveries, newest first.' })
  @ApiBadRequestResponse({ description: 'A parameter is wrong; `parameter` names it.' })
  async list(@Query() query: Query): Promise<{ items: DeliveryItem[] }> {
    const status = single(query, 'status');
    if (status !== undefined && !STATUSES.some((s) => s === status))
      throw new InvalidParameterError('status', `must be one of ${STATUSES.join(', ')}, got "${status}"`);
    const rawLimit = single(query, 'limit') ?? String(DEFAULT_LIMIT);
    const limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_LIMIT)
      throw new InvalidParameterError(
        'limit',
        `must be a whole number from 1 to ${MAX_LIMIT}, got "${rawLimit}"`,
      );
    const team = single(query, 'team');
    return {
      items: await this.store.list({
        ...(status ? { status } : {}),
        ...(team ? { team } : {}),
        limit,
      }),
    };
  }

  @Post(':id/retry')
  @UseGuards(AdminTokenGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Requeued: it is sent again from its first attempt.' })
  @ApiNotFoundResponse({ description: 'No parked delivery with a destination has this id.' })
  async retry(@Param('id') id: string): Promise<{ id: string; status: 'pending' }> {
    if (!(await this.store.retry(id)))
      throw new NotFoundError(
        'delivery-not-parked',
        `no parked delivery ${id} with a destination (unroutable ones come back when the catalog routes them and Alertmanager resends)`,
      );
    return { id, status: 'pending' };
  }
}
