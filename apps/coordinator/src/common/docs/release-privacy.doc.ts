import { ApiProperty } from '@nestjs/swagger';

/** One output's part of a release's privacy (`ReleasePrivacy` in #concord/accounting). */
export class ReleasePrivacyOutputDoc {
  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'zCDP ρ of this output, exact rational text', example: '1/4' })
  rho: string;

  @ApiProperty({ description: 'ξ of this output, exact rational text' })
  xi: string;

  @ApiProperty({ description: 'This output’s share of the release’s ρ', example: '1/2' })
  shareOfRho: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pure ε (Pólya mechanism); null for the discrete Gaussian',
  })
  pureEpsilon: string | null;
}

/** A release's privacy, stated the same way on every surface (documentation type). */
export class ReleasePrivacyDoc {
  @ApiProperty({ enum: ['discrete-gaussian', 'polya-laplace'] })
  mechanism: string;

  @ApiProperty({ description: 'Total zCDP ρ the release charges, exact', example: '1/2' })
  rho: string;

  @ApiProperty({ description: 'Total ξ, exact' })
  xi: string;

  @ApiProperty({ description: 'The δ the ε is stated at', example: 1e-9 })
  delta: number;

  @ApiProperty({ description: 'ε of the whole release at δ, rounded up' })
  epsilon: number;

  @ApiProperty({ description: '`epsilon` to 4 significant digits, as shown', example: '6.473' })
  epsilonText: string;

  @ApiProperty({ type: String, nullable: true, description: 'Pólya releases: pure ε, exact' })
  pureEpsilon: string | null;

  @ApiProperty({ type: String, nullable: true })
  pureEpsilonText: string | null;

  @ApiProperty({ description: 'The guarantee in one plain-language sentence' })
  statement: string;

  @ApiProperty({ description: 'Link to the definitions (docs/privacy.md)' })
  docs: string;

  @ApiProperty({ type: [ReleasePrivacyOutputDoc] })
  outputs: ReleasePrivacyOutputDoc[];
}
