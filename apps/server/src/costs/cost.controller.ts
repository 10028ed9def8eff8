import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { InvalidParameterError, NotFoundError } from '@burnrate/contracts';
import {
  addDays,
  anomalyRulesFromEnv,
  buildWeeklyReports,
  isoWeekOf,
  parseIsoWeek,
  previousWeek,
  trimDecimal,
  type CostReport,
} from '@burnrate/finops';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { CatalogProvider } from '../catalog/catalog.provider.js';
import { SERVER_CONFIG } from '../config/server-config.module.js';
import type { ServerConfig } from '../config/server-config.js';

type Query = Record<string, string | string[] | undefined>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 400;

export interface CostsAnswer {
  team: string | null;
  from: string;
  to: string;
  groupBy: 'service' | 'day';
  /** Money as decimal strings, per currency (never added across currencies). */
  items: { key: string; currency: string; amount: string }[];
  totals: { currency: string; amount: string }[];
}

/** Costs as the rollups hold them, and each team's weekly report. */
@ApiTags('costs')
@ApiBearerAuth()
@UseGuards(ReadTokenGuard)
@Controller('api/v1')
export class CostController {
  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogProvider,
  ) {}

  @Get('teams/:team/cost-report')
  @ApiQuery({ name: 'week', required: false, description: 'ISO week, YYYY-Www; default last week' })
  @ApiOkResponse({
    description: "The team's weekly cost report (the JSON of `burnrate report cost --format json`).",
  })
  @ApiBadRequestResponse({ description: 'A parameter is wrong; `parameter` names it.' })
  @ApiNotFoundResponse({ description: 'No such team in the catalog.' })
  async report(@Param('team') team: string, @Query() query: Query): Promise<CostReport> {
    const raw = text(query, 'week');
    const week = raw === undefined ? previousWeek(isoWeekOf(new Date())) : parseIsoWeek(raw);
    if (!week) throw new InvalidParameterError('week', 'must be an ISO week such as 2026-W49');
    const catalog = this.catalog.current();
    if (!catalog.teams.some((t) => t.name === team))
      throw new NotFoundError('unknown-team', `no team ${team} in the catalog`);
    const [report] = await buildWeeklyReports(this.dataSource, catalog, week, {
      teams: [team],
      rules: anomalyRulesFromEnv(this.config.cost.env),
    });
    return report!;
  }

  @Get('costs')
  @ApiQuery({ name: 'team', required: false, description: 'a team, or `unallocated`; default every team' })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'first day, YYYY-MM-DD; default 30 days before `to`',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'last day, YYYY-MM-DD, included; default yesterday (UTC)',
  })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['service', 'day'] })
  @ApiOkResponse({
    description: 'Spend per service or per day and currency, after allocation and shared splits.',
  })
  @ApiBadRequestResponse({ description: 'A parameter is wrong; `parameter` names it.' })
  async costs(@Query() query: Query): Promise<CostsAnswer> {
    const to = day(query, 'to') ?? addDays(new Date().toISOString().slice(0, 10), -1);
    const from = day(query, 'from') ?? addDays(to, -29);
    if (from > to) throw new InvalidParameterError('from', `${from} is after to ${to}`);
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_DAYS)
      throw new InvalidParameterError('from', `at most ${MAX_DAYS} days at a time`);
    const groupBy = text(query, 'groupBy') ?? 'service';
    if (groupBy !== 'service' && groupBy !== 'day')
      throw new InvalidParameterError('groupBy', 'must be service or day');
    const team = text(query, 'team');
    if (
      team !== undefined &&
      team !== 'unallocated' &&
      !this.catalog.current().teams.some((t) => t.name === team)
    )
      throw new NotFoundError('unknown-team', `no team ${team} in the catalog`);
    const key = groupBy === 'day' ? `day::text` : 'service_name';
    const params = [from, to, team === undefined ? null : team === 'unallocated' ? '' : team];
    const where = `day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR team = $3)`;
    const [rows, totals] = await Promise.all([
      this.dataSource.query<{ key: string; currency: string; amount: string }[]>(
        `SELECT ${key} AS key, currency, sum(billed_cost)::text AS amount FROM cost_daily WHERE ${where}
         GROUP BY 1, 2 ORDER BY ${groupBy === 'day' ? '1, 2' : '3::numeric DESC, 1, 2'}`,
        params,
      ),
      this.dataSource.query<{ currency: string; amount: string }[]>(
        `SELECT currency, sum(billed_cost)::text AS amount FROM cost_daily WHERE ${where} GROUP BY 1 ORDER BY 1`,
        params,
      ),
    ]);
    return {
      team: team ?? null,
      from,
      to,
      groupBy,
      items: rows.map((r) => ({ ...r, amount: trimDecimal(r.amount) })),
      totals: totals.map((t) => ({ ...t, amount: trimDecimal(t.amount) })),
    };
  }
}

function text(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new InvalidParameterError(name, 'may be given once');
  return value === undefined || value === '' ? undefined : value;
}

function day(query: Query, name: string): string | undefined {
  const value = text(query, name);
  if (value === undefined) return undefined;
  if (!DAY.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    throw new InvalidParameterError(name, 'must be a day as YYYY-MM-DD');
  return value;
}
