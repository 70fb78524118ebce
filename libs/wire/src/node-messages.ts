import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_AUTH_SESSION_IDS, WireLimits } from './events.js';
import { HEX32, HEX64, IsCommitmentMap, IsDecimalList, IsLimbBytes, UUID } from './validators.js';

// Messages an agency node sends to the coordinator. Properties are alphabetical.

/** How a node runs a session's data rounds: Concord's own engine, or the stock JIFF client. */
export const NODE_ENGINES = ['native', 'jiff'] as const;
export type NodeEngine = (typeof NODE_ENGINES)[number];

export class AuthResponseDto {
  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  agencyId: string;

  /** The engine this node runs (absent: native). A session needs all three on one engine. */
  @IsOptional()
  @IsIn(NODE_ENGINES)
  engine?: NodeEngine;

  @Matches(HEX64)
  signature: string;

  /** Sessions this node process holds in memory (it can resume them). */
  @IsArray()
  @ArrayMaxSize(MAX_AUTH_SESSION_IDS)
  @Matches(UUID, { each: true })
  held: string[] = [];

  /** Sessions whose charge this node's ledger has not settled yet (it needs their outcome). */
  @IsArray()
  @ArrayMaxSize(MAX_AUTH_SESSION_IDS)
  @Matches(UUID, { each: true })
  unsettled: string[] = [];
}

export class AcceptanceDto {
  /** JIFF mode only: the X25519 key of this party's JIFF client, signed along with the session key. */
  @IsOptional()
  @Matches(HEX32)
  jiffKey?: string;

  /** The epoch of the identity key that signs (absent: epoch 0, from before key epochs). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  keyEpoch?: number;

  @IsInt()
  @Min(1)
  @Max(3)
  party: 1 | 2 | 3;

  @Matches(HEX32)
  planHash: string;

  @Matches(UUID)
  sessionId: string;

  @Matches(HEX32)
  sessionKey: string;

  @Matches(HEX64)
  signature: string;
}

export class SessionAcceptDto {
  @ValidateNested()
  @Type(() => AcceptanceDto)
  acceptance: AcceptanceDto;

  @Matches(UUID)
  sessionId: string;
}

export const DECLINE_CODES = [
  'protocol-not-approved',
  'plan-mismatch',
  'budget-exceeded',
  'busy',
  'data-unavailable',
  'invalid-data',
  'engine-mismatch',
  /** The agency's own ledger could not be written (its charge is the condition of taking part). */
  'ledger-unavailable',
  /** The agency's data has no rows for the requested service date (nothing was read or sent). */
  'no-data-for-date',
  /**
   * A key is not in force now in this agency's consortium file: its own (superseded, revoked or
   * not yet effective) or a peer's (revoked).
   */
  'key-not-valid',
] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export class SessionDeclineDto {
  @IsIn(DECLINE_CODES)
  code: DeclineCode;

  @IsString()
  @MaxLength(1000)
  message: string;

  @Matches(UUID)
  sessionId: string;
}

export class NoiseCommitDto {
  @IsCommitmentMap()
  commitments: Record<string, string>;

  @IsInt()
  @Min(1)
  @Max(3)
  party: 1 | 2 | 3;

  @Matches(UUID)
  sessionId: string;
}

/** One opened output: its limbs (what nodes send), or decimals (what earlier nodes sent). */
export class OutputValuesDto {
  /** The opened vector's canonical limbs, little-endian uint32, limb-major, in a binary frame. */
  @IsOptional()
  @IsLimbBytes(WireLimits.maxFrameBytes)
  limbs?: Uint8Array;

  @Matches(/^[a-z][a-z0-9_]{0,62}$/)
  name: string;

  /** The opened values as comma-separated decimal integers (nodes before binary results). */
  @IsOptional()
  @IsString()
  @MaxLength(64_000_000)
  @IsDecimalList(60)
  values?: string;
}

export class ResultReportDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => OutputValuesDto)
  outputs?: OutputValuesDto[];

  @IsInt()
  @Min(1)
  @Max(3)
  party: 1 | 2 | 3;

  @Matches(HEX32)
  resultDigest: string;

  @Matches(UUID)
  sessionId: string;
}

export class SealDto {
  @Matches(HEX32)
  headHash: string;

  @IsInt()
  @Min(1)
  @Max(3)
  party: 1 | 2 | 3;

  @Matches(UUID)
  sessionId: string;

  @Matches(HEX64)
  signature: string;
}

/** A receiver's acknowledgement of one envelope, relayed to its sender (which may then drop it). */
export class EnvelopeAckDto {
  @IsInt()
  @Min(0)
  @Max(4095)
  chunk: number;

  @Matches(HEX32)
  digest: string;

  @IsInt()
  @Min(1)
  @Max(3)
  from: 1 | 2 | 3;

  @Matches(/^(join-[12]|input|open|mul-[1-9]\d{0,2})$/)
  round: string;

  @Matches(UUID)
  sessionId: string;

  @IsInt()
  @Min(1)
  @Max(3)
  to: 1 | 2 | 3;
}

/** Application-level liveness, both ways: the coordinator pings, the node answers with the seq. */
export class HeartbeatDto {
  @IsInt()
  @Min(0)
  seq: number;
}

export class AbortReportDto {
  @Matches(/^[a-z][a-z0-9-]{1,63}$/)
  code: string;

  @IsString()
  @MaxLength(1000)
  message: string;

  @Matches(UUID)
  sessionId: string;

  @IsArray()
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(3, { each: true })
  suspects: number[];
}
