import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const DOWNLOAD_FORMATS = ['csv', 'arrow'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

/** GET /reports/:id/download: which file, and optionally which one output. */
export class DownloadReportDto {
  @ApiProperty({
    enum: DOWNLOAD_FORMATS,
    description: '`csv` (RFC 4180 text) or `arrow` (an Apache Arrow IPC stream)',
  })
  @IsIn(DOWNLOAD_FORMATS, { message: 'format must be csv or arrow' })
  format: DownloadFormat;

  /** An output name as protocols spell them (libs/protocol: lower case, digits, underscores). */
  @ApiPropertyOptional({
    description: 'One output of the report (default: every output)',
    example: 'boardings',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, {
    message: 'output must be an output name: a lower-case letter, then letters, digits or _',
  })
  output?: string;
}
