import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

export class CheckResultDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiProperty({ description: 'Time the check took, in milliseconds.' })
  durationMs!: number;

  @ApiPropertyOptional({ description: 'Why the dependency is down.' })
  error?: string;

  @ApiPropertyOptional({ description: 'A note on a dependency that is up, e.g. a refused catalog change.' })
  detail?: string;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'not_ready'] })
  status!: 'ready' | 'not_ready';

  @ApiProperty({
    description: 'One entry per dependency, e.g. `database`.',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CheckResultDto' },
  })
  checks!: Record<string, CheckResultDto>;
}
