import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AcceptanceDto, NODE_ENGINES, type NodeEngine, NoiseCommitDto } from './node-messages.js';
import { HEX32, UUID } from './validators.js';

// Messages the coordinator sends to agency nodes. Nodes validate them too: the coordinator is
// not trusted, and a malformed message must never crash a node. Properties are alphabetical.

export class AuthChallengeDto {
  @IsString()
  @MaxLength(200)
  coordinator: string;

  @Matches(HEX32)
  nonce: string;
}

/**
 * Why a login was refused: a signature that is not the pinned key's, the agency already
 * connected, or too many failed logins from the node's address (it backs off and retries).
 */
/**
 * `key-not-valid`: the login is signed by one of the agency's keys, but one not in force now
 * (superseded by a rotation, revoked, or not yet effective): the node must use its current key.
 */
export const AUTH_REFUSALS = [
  'refused',
  'already-connected',
  'rate-limited',
  'key-not-valid',
] as const;
export type AuthRefusal = (typeof AUTH_REFUSALS)[number];

export class AuthResultDto {
  /** Set when `ok` is false. */
  @IsOptional()
  @IsIn(AUTH_REFUSALS)
  code?: AuthRefusal;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  message?: string;

  @IsBoolean()
  ok: boolean;
}

/**
 * What the node needs to compile the plan itself: it never takes the coordinator's plan on
 * trust, it recompiles it from its own catalogue copy and compares the hash.
 */
export class SessionRequestDto {
  @IsObject()
  axisValues: Record<string, string[]>;

  @Matches(/^[0-9/.]{1,80}$/)
  budget: string;

  @IsObject()
  parameters: Record<string, string>;

  @Matches(HEX32)
  protocolHash: string;
}

export class SessionInviteDto {
  /** Absent: the native engine. `jiff`: the data rounds run through the JIFF endpoint. */
  @IsOptional()
  @IsIn(NODE_ENGINES)
  engine?: NodeEngine;

  @Matches(HEX32)
  planHash: string;

  @IsInt()
  @Min(1)
  @Max(3)
  reporter: number;

  @ValidateNested()
  @Type(() => SessionRequestDto)
  request: SessionRequestDto;

  @Matches(UUID)
  sessionId: string;
}

export class SessionKeysDto {
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => AcceptanceDto)
  acceptances: AcceptanceDto[];

  @Matches(UUID)
  sessionId: string;
}

export class SessionCommitmentsDto {
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => NoiseCommitDto)
  commitments: NoiseCommitDto[];

  @Matches(UUID)
  sessionId: string;
}

export class SessionRefDto {
  @Matches(UUID)
  sessionId: string;
}

export class TranscriptEntryDto {
  @Matches(/^[a-z.]{1,32}$/)
  kind: string;

  @IsString()
  @MaxLength(32)
  at: string;

  @IsObject()
  body: Record<string, unknown>;

  @Matches(HEX32)
  hash: string;

  @Matches(HEX32)
  prevHash: string;

  @IsInt()
  @Min(0)
  seq: number;
}

export class SealRequestDto {
  @IsArray()
  @ArrayMaxSize(1_000_000)
  @ValidateNested({ each: true })
  @Type(() => TranscriptEntryDto)
  entries: TranscriptEntryDto[];

  @Matches(UUID)
  sessionId: string;
}

/** Why a session ended without a release (the coordinator's closed list; docs/operations.md). */
export const ABORT_CODES = [
  /** A party declined the invitation (its code and message follow). */
  'declined',
  /** A party's connection was lost and it did not come back within the node lease. */
  'party-disconnected',
  /** A party came back without the session (its process restarted and lost its secrets). */
  'party-restarted',
  /** A party stopped the session and reported why (every party's report is recorded). */
  'party-aborted',
  /** The session did not complete within the session timeout. */
  'timeout',
  /** A party broke the protocol (a message out of turn, a bad signature, a replay). */
  'relay-refused',
  /** The parties opened different results. */
  'results-disagree',
  /** The coordinator failed; the session could not go on. */
  'internal-error',
  /** The connected nodes run different engines. */
  'engine-mismatch',
  /** A JIFF-mode computation was interrupted by a coordinator restart (it cannot resume). */
  'jiff-interrupted',
  /** The coordinator knows no such session (answer to a node's unsettled charge). */
  'unknown-session',
] as const;
export type AbortCode = (typeof ABORT_CODES)[number];

export class SessionAbortedDto {
  @IsIn(ABORT_CODES)
  code: AbortCode;

  @IsString()
  @MaxLength(1000)
  message: string;

  /**
   * The coordinator refunded its ledger: the data phase never began. A node refunds its own
   * charge only if this is true and it never received the go-ahead itself.
   */
  @IsBoolean()
  refund: boolean;

  @Matches(UUID)
  sessionId: string;
}

/** The session completed (three seals): a node settles its charge as spent. */
export class SessionCompletedDto {
  @Matches(UUID)
  sessionId: string;
}

/** What the coordinator has durably recorded from the receiving party in one session. */
export class RecordedFromPartyDto {
  @IsBoolean()
  accepted: boolean;

  @IsBoolean()
  committed: boolean;

  @IsBoolean()
  reported: boolean;

  @IsBoolean()
  sealed: boolean;
}

/**
 * Sent after a reconnection (of this node, a peer, or the coordinator itself): resend what the
 * coordinator has not recorded from you, and every envelope your peers have not acknowledged.
 */
export class SessionResumeDto {
  @ValidateNested()
  @Type(() => RecordedFromPartyDto)
  recorded: RecordedFromPartyDto;

  @Matches(UUID)
  sessionId: string;
}
