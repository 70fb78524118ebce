import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsJSON, IsOptional, Matches, MaxLength } from 'class-validator';

/**
 * GET /catalogue/:id/accuracy: either a budget (what precision it buys) or a target half-width
 * (what budget it needs). Nothing is charged.
 */
export class AccuracyQueryDto {
  @ApiPropertyOptional({
    description:
      'zCDP ρ (pure ε for Pólya protocols) as an exact rational: the half-widths it buys',
    example: '1/2',
  })
  @IsOptional()
  @Matches(/^\d{1,20}(\/\d{1,20}|\.\d{1,20})?$/, {
    message: 'budget must be a rational such as "1/2" or "0.25"',
  })
  budget?: string;

  @ApiPropertyOptional({
    description: 'Target 95% half-width, an integer in the output’s unit: the budget it needs',
    example: '20',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'halfWidth must be a whole number such as 20' })
  halfWidth?: string;

  @ApiPropertyOptional({
    description: 'With halfWidth: only this output (default: every output, each in its own unit)',
    example: 'boardings',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/)
  output?: string;

  @ApiPropertyOptional({
    description:
      'The public axis values the request will select, as the JSON of its `axes` (fewer cells, a smaller δ term): the precision of that grid',
    example: '{"from_zone":["Z01","Z02"]}',
  })
  @IsOptional()
  @MaxLength(1_000_000)
  @IsJSON()
  axes?: string;

  @ApiPropertyOptional({ description: 'Protocol version (default: the latest)', example: '1.0.0' })
  @IsOptional()
  @Matches(/^\d+\.\d+\.\d+$/)
  version?: string;
}
