import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SLO_STATES, STATUS_WINDOWS, type SloStateName } from '@burnrate/slo';

export class ErrorBudgetDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Share left: 1 untouched, 0 spent, negative overspent.',
  })
  remaining!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Share spent: 1 - remaining.' })
  consumed!: number | null;
}

const burnRatesSchema = {
  type: 'object',
  description: `Error ratio over each window (${STATUS_WINDOWS.join(', ')}) divided by the error budget (1 - objective); null without data.`,
  additionalProperties: { type: 'number', nullable: true },
} as const;

export class SloItemDto {
  @ApiProperty({ example: 'checkout-api/availability' })
  id!: string;

  @ApiProperty()
  service!: string;

  @ApiProperty()
  slo!: string;

  @ApiProperty()
  team!: string;

  @ApiProperty({ description: 'Percent, as declared.', example: 99.9 })
  objective!: number;

  @ApiProperty({ example: '30d', description: '`30d`, `28d`, `7d`, ... or `calendar-month`.' })
  window!: string;

  @ApiProperty({ enum: SLO_STATES })
  state!: SloStateName;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Good ratio over the SLO window (month to date).',
  })
  sli!: number | null;

  @ApiProperty({ type: ErrorBudgetDto })
  errorBudget!: ErrorBudgetDto;

  @ApiProperty(burnRatesSchema)
  burnRates!: Record<string, number | null>;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'At the current 1h burn rate.',
  })
  exhaustsAt!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the current state began.',
  })
  since!: string | null;

  @ApiProperty({ description: 'The last refresh failed: these are the last good values.' })
  stale!: boolean;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  evaluatedAt!: string | null;
}

export class SloListDto {
  @ApiProperty({ type: [SloItemDto] })
  items!: SloItemDto[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  nextCursor!: string | null;
}

export class TierDto {
  @ApiProperty({ enum: ['page', 'ticket'] })
  severity!: string;

  @ApiProperty()
  longWindow!: string;

  @ApiProperty()
  shortWindow!: string;

  @ApiProperty()
  budgetPercent!: number;

  @ApiProperty({ description: 'Burn rate both windows must exceed.' })
  burnRate!: number;

  @ApiProperty()
  errorRatioThreshold!: number;
}

export class SloEventDto {
  @ApiProperty({ enum: SLO_STATES, nullable: true })
  from!: SloStateName | null;

  @ApiProperty({ enum: SLO_STATES })
  to!: SloStateName;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty(burnRatesSchema)
  burnRates!: Record<string, number | null>;
}

export class SloLinksDto {
  @ApiProperty()
  dashboard!: string;

  @ApiProperty({ nullable: true, type: String })
  runbook!: string | null;

  @ApiProperty({ nullable: true, type: String })
  traces!: string | null;
}

export class SloDetailDto extends SloItemDto {
  @ApiProperty({ type: [TierDto] })
  tiers!: TierDto[];

  @ApiProperty({ type: [SloEventDto], description: 'State changes, newest first.' })
  events!: SloEventDto[];

  @ApiProperty({ type: SloLinksDto })
  links!: SloLinksDto;
}

export class HistoryPointDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: SLO_STATES })
  state!: SloStateName;

  @ApiProperty({ nullable: true, type: Number })
  sli!: number | null;

  @ApiProperty({ nullable: true, type: Number })
  budgetRemaining!: number | null;

  @ApiProperty(burnRatesSchema)
  burnRates!: Record<string, number | null>;
}

export class HistoryDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ description: 'Seconds between points (the last snapshot of each step).' })
  step!: number;

  @ApiProperty({ type: [HistoryPointDto] })
  points!: HistoryPointDto[];
}

export class TeamDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  displayName!: string | null;

  @ApiProperty({
    description: 'SLO counts by state.',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  slos!: Record<string, number>;

  @ApiPropertyOptional({ type: SloItemDto, nullable: true, description: 'Its worst SLO.' })
  worst!: SloItemDto | null;
}

export class TeamDetailDto extends TeamDto {
  @ApiProperty({ type: [SloItemDto] })
  items!: SloItemDto[];
}

export class ServiceDto {
  @ApiProperty()
  name!: string;

  @ApiProperty()
  team!: string;

  @ApiProperty({ nullable: true, type: String })
  runbook!: string | null;

  @ApiProperty({ type: [SloItemDto] })
  slos!: SloItemDto[];
}

export class CatalogStateDto {
  @ApiProperty({
    enum: ['ok', 'refused', 'invalid'],
    description:
      'refused: the latest change did not validate and the last good catalog serves; invalid: none ever did.',
  })
  status!: 'ok' | 'refused' | 'invalid';

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  servingSince!: string | null;

  @ApiProperty()
  teams!: number;

  @ApiProperty()
  services!: number;

  @ApiProperty()
  slos!: number;

  @ApiProperty({
    type: [String],
    description: 'Problems of the latest load, `file:line:col: severity: message`.',
  })
  problems!: string[];

  @ApiProperty({
    type: [String],
    description: 'What the serving catalog needs from the environment and lacks (chat URL variables).',
  })
  warnings!: string[];
}
