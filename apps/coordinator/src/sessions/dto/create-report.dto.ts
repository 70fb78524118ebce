import { IsObject, IsOptional, Matches } from 'class-validator';

/** POST /reports: a catalogue protocol, its parameters and the privacy budget to spend. */
export class CreateReportDto {
  /** zCDP ρ (or pure ε for Pólya protocols) as an exact rational: "1/2", "0.25". */
  @Matches(/^\d{1,20}(\/\d{1,20}|\.\d{1,20})?$/, {
    message: 'budget must be a rational such as "1/2" or "0.25"',
  })
  budget: string;

  @IsObject()
  parameters: Record<string, string>;

  @Matches(/^[a-z][a-z0-9-]{0,62}$/)
  protocol: string;

  /** Idempotency key: repeating a request with the same id returns the same session. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{8,100}$/)
  requestId?: string;

  @IsOptional()
  @Matches(/^\d+\.\d+\.\d+$/)
  version?: string;
}
