import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { formatProblem, isError } from '@burnrate/catalog';
import { InvalidParameterError, NotFoundError } from '@burnrate/contracts';
import { parseDuration, SLO_STATES, type SloStateName } from '@burnrate/slo';
import { StatusStore, type SloItem } from '@burnrate/status';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { CatalogProvider } from '../catalog/catalog.provider.js';
import { AdminTokenGuard } from '../publish/admin-token.guard.js';
import {
  CatalogStateDto,
  HistoryDto,
  ServiceDto,
  SloDetailDto,
  SloListDto,
  TeamDetailDto,
  TeamDto,
} from './status.dto.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const RECENT_EVENTS = 20;
const MAX_POINTS = 11_000;
const DEFAULT_HISTORY_SECONDS = 7 * 86400;

type Query = Record<string, string | string[] | undefined>;

@ApiTags('slo status')
@ApiBearerAuth()
@UseGuards(ReadTokenGuard)
@Controller('api/v1')
export class StatusController {
  constructor(
    private readonly store: StatusStore,
    private readonly catalog: CatalogProvider,
  ) {}

  @Get('slos')
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'service', required: false })
  @ApiQuery({ name: 'state', required: false, enum: SLO_STATES })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiOkResponse({ type: SloListDto })
  @ApiBadRequestResponse({ description: 'A parameter is wrong; `parameter` names it.' })
  async list(@Query() query: Query): Promise<SloListDto> {
    const limit = wholeNumber(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const after = cursorOf(query);
    const rows = await this.store.listSlos({
      team: text(query, 'team'),
      service: text(query, 'service'),
      state: stateOf(query),
      after,
      limit,
    });
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items.at(-1)!.id) : null };
  }

  @Get('slos/:service/:slo')
  @ApiOkResponse({ type: SloDetailDto })
  @ApiNotFoundResponse({ description: 'No such SLO in the catalog.' })
  async detail(@Param('service') service: string, @Param('slo') slo: string): Promise<SloDetailDto> {
    const id = `${service}/${slo}`;
    const found = await this.store.findSlo(id);
    if (!found) throw new NotFoundError('unknown-slo', `no SLO ${id} in the catalog`);
    const detail = found.detail as Pick<SloDetailDto, 'tiers' | 'links'>;
    return {
      ...found.item,
      tiers: detail.tiers,
      events: await this.store.recentEvents(id, RECENT_EVENTS),
      links: detail.links,
    };
  }

  @Get('slos/:service/:slo/history')
  @ApiQuery({ name: 'from', required: false, description: 'RFC 3339 or Unix seconds; default `to` - 7d' })
  @ApiQuery({ name: 'to', required: false, description: 'RFC 3339 or Unix seconds; default now' })
  @ApiQuery({
    name: 'step',
    required: false,
    description: 'Duration such as 5m or 1h; default about 500 points',
  })
  @ApiOkResponse({ type: HistoryDto })
  @ApiBadRequestResponse({ description: 'A parameter is wrong; `parameter` names it.' })
  @ApiNotFoundResponse({ description: 'No such SLO in the catalog.' })
  async history(
    @Param('service') service: string,
    @Param('slo') slo: string,
    @Query() query: Query,
  ): Promise<HistoryDto> {
    const id = `${service}/${slo}`;
    const to = instant(query, 'to') ?? new Date();
    const from = instant(query, 'from') ?? new Date(to.getTime() - DEFAULT_HISTORY_SECONDS * 1000);
    if (from >= to) throw new InvalidParameterError('from', 'must be before `to`');
    const range = (to.getTime() - from.getTime()) / 1000;
    const step = durationOf(query, 'step') ?? Math.max(60, Math.ceil(range / 500));
    if (range / step > MAX_POINTS)
      throw new InvalidParameterError(
        'step',
        `gives more than ${MAX_POINTS} points over this range; take a larger step`,
      );
    if (!(await this.store.findSlo(id)))
      throw new NotFoundError('unknown-slo', `no SLO ${id} in the catalog`);
    const points = await this.store.history(id, from, to, step);
    return { id, from: from.toISOString(), to: to.toISOString(), step, points };
  }

  @Get('teams')
  @ApiOkResponse({ type: [TeamDto] })
  async teams(): Promise<TeamDto[]> {
    const [teams, worst] = await Promise.all([this.store.teams(), this.store.worstByTeam()]);
    return teams.map((t) => ({
      name: t.name,
      displayName: t.displayName,
      slos: t.states,
      worst: worst.get(t.name) ?? null,
    }));
  }

  @Get('teams/:team')
  @ApiOkResponse({ type: TeamDetailDto })
  @ApiNotFoundResponse({ description: 'No such team in the catalog.' })
  async team(@Param('team') name: string): Promise<TeamDetailDto> {
    const team = (await this.store.teams()).find((t) => t.name === name);
    if (!team) throw new NotFoundError('unknown-team', `no team ${name} in the catalog`);
    const items = await this.all({ team: name });
    return { name, displayName: team.displayName, slos: team.states, worst: worstOf(items), items };
  }

  @Get('services/:service')
  @ApiOkResponse({ type: ServiceDto })
  @ApiNotFoundResponse({ description: 'No such service in the catalog.' })
  async service(@Param('service') name: string): Promise<ServiceDto> {
    const service = await this.store.service(name);
    if (!service) throw new NotFoundError('unknown-service', `no service ${name} in the catalog`);
    return { ...service, slos: await this.all({ service: name }) };
  }

  @Get('catalog')
  @ApiOkResponse({ type: CatalogStateDto })
  catalogState(): CatalogStateDto {
    return this.describeCatalog();
  }

  @Post('catalog/reload')
  @UseGuards(AdminTokenGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CatalogStateDto, description: 'The catalog validated and now serves.' })
  @ApiUnprocessableEntityResponse({
    type: CatalogStateDto,
    description: 'Refused: the last good catalog still serves.',
  })
  async reload(
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<CatalogStateDto> {
    const problems = await this.catalog.reload();
    if (problems.some(isError)) response.status(HttpStatus.UNPROCESSABLE_ENTITY);
    return this.describeCatalog();
  }

  private describeCatalog(): CatalogStateDto {
    const serving = this.catalog.servingSince;
    const catalog = serving ? this.catalog.current() : undefined;
    return {
      status: !serving ? 'invalid' : this.catalog.latestRefused ? 'refused' : 'ok',
      servingSince: serving?.toISOString() ?? null,
      teams: catalog?.teams.length ?? 0,
      services: catalog?.services.length ?? 0,
      slos: catalog?.services.reduce((n, s) => n + s.slos.length, 0) ?? 0,
      problems: this.catalog.problems.map(formatProblem),
      warnings: [...this.catalog.warnings],
    };
  }

  private async all(filter: { team?: string; service?: string }): Promise<SloItem[]> {
    const out: SloItem[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.store.listSlos({ ...filter, after, limit: MAX_LIMIT });
      out.push(...page.slice(0, MAX_LIMIT));
      if (page.length <= MAX_LIMIT) return out;
      after = out.at(-1)!.id;
    }
  }
}

const RANK: Record<SloStateName, number> = { burning: 0, exhausted: 1, warning: 2, ok: 3, no_data: 4 };

function worstOf(items: SloItem[]): SloItem | null {
  let worst: SloItem | null = null;
  for (const item of items) {
    if (
      !worst ||
      RANK[item.state] < RANK[worst.state] ||
      (RANK[item.state] === RANK[worst.state] &&
        (item.errorBudget.remaining ?? Infinity) < (worst.errorBudget.remaining ?? Infinity))
    )
      worst = item;
  }
  return worst;
}

function text(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new InvalidParameterError(name, 'may be given once');
  return value === undefined || value === '' ? undefined : value;
}

function wholeNumber(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = text(query, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new InvalidParameterError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function stateOf(query: Query): SloStateName | undefined {
  const raw = text(query, 'state');
  if (raw === undefined) return undefined;
  const state = SLO_STATES.find((s) => s === raw);
  if (!state)
    throw new InvalidParameterError('state', `must be one of ${SLO_STATES.join(', ')}, got "${raw}"`);
  return state;
}

const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');

function cursorOf(query: Query): string | undefined {
  const raw = text(query, 'cursor');
  if (raw === undefined) return undefined;
  const id = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url').toString() : '';
  if (!id.includes('/') || encodeCursor(id) !== raw)
    throw new InvalidParameterError('cursor', 'is not a cursor this API gave (pass `nextCursor` as it came)');
  return id;
}

function instant(query: Query, name: string): Date | undefined {
  const raw = text(query, name);
  if (raw === undefined) return undefined;
  const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  if (Number.isNaN(date.getTime()))
    throw new InvalidParameterError(name, `must be an RFC 3339 time or Unix seconds, got "${raw}"`);
  return date;
}

function durationOf(query: Query, name: string): number | undefined {
  const raw = text(query, name);
  if (raw === undefined) return undefined;
  try {
    return parseDuration(raw);
  } catch {
    throw new InvalidParameterError(name, `must be a duration such as 5m or 1h, got "${raw}"`);
  }
}
