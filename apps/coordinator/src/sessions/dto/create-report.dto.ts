import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches } from 'class-validator';
import { IsAxisSelection } from '../../catalogue/dto/is-axis-selection.js';

/** POST /reports: a catalogue protocol, its parameters and the privacy budget to spend. */
export class CreateReportDto {
  /** zCDP ρ (or pure ε for Pólya protocols) as an exact rational: "1/2", "0.25". */
  @ApiProperty({
    description: 'zCDP ρ (pure ε for Pólya protocols) as an exact rational',
    example: '1/2',
  })
  @Matches(/^\d{1,20}(\/\d{1,20}|\.\d{1,20})?$/, {
    message: 'budget must be a rational such as "1/2" or "0.25"',
  })
  budget: string;

  @ApiProperty({ description: 'The protocol’s parameters', example: { serviceDate: '2026-03-10' } })
  @IsObject()
  parameters: Record<string, string>;

  @ApiProperty({ description: 'Catalogue protocol id', example: 'revenue-per-boarding' })
  @Matches(/^[a-z][a-z0-9-]{0,62}$/)
  protocol: string;

  /**
   * Some values of the protocol's public axes: the report's grid then holds only those (a
   * district's zones, some routes), in the public data's order. Every value otherwise.
   */
  @ApiPropertyOptional({
    description:
      'Narrows public axes to some of their values (the grid then holds only those); every value otherwise',
    example: { from_zone: ['Z01', 'Z02'], to_zone: ['Z01', 'Z02'] },
  })
  @IsOptional()
  @IsAxisSelection()
  axes?: Record<string, string[]>;

  /** Idempotency key: repeating a request with the same id returns the same session. */
  @ApiPropertyOptional({ description: 'Idempotency key: a repeated id returns the same report' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{8,100}$/)
  requestId?: string;

  @ApiPropertyOptional({ description: 'Protocol version (default: the latest)', example: '1.0.0' })
  @IsOptional()
  @Matches(/^\d+\.\d+\.\d+$/)
  version?: string;
}
