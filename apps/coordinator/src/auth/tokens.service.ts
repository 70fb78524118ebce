import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, type Repository } from 'typeorm';
import { constantTimeEqual, sha256, toHex, utf8 } from '#concord/crypto';
import { ApiTokenEntity } from '#concord/persistence';
import { Clock } from '../config/clock.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import type { Principal, Role } from './principal.js';
import { DEFAULT_TOKEN_LIFETIME, tokenLifetimeMs } from './token-lifetime.js';

export interface IssuedToken {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly expiresAt: string;
  /** The secret itself: returned once, never stored. */
  readonly token: string;
}

export type TokenState = 'active' | 'expired' | 'revoked';

/** A token as admins list it: everything but the secret, which is not stored. */
export interface TokenSummary {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: string;
  /** Null only for tokens issued before tokens expired (they stay valid until revoked). */
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly revoked: boolean;
  readonly state: TokenState;
}

/** Why a bearer token was refused: logged, and said to its holder (who holds the token). */
export type TokenRefusal = 'unknown-token' | 'revoked-token' | 'expired-token';

export type Authentication =
  { readonly principal: Principal } | { readonly refused: TokenRefusal; readonly message: string };

const UNKNOWN: Authentication = {
  refused: 'unknown-token',
  message: 'a valid bearer token is required',
};

/** `last_used_at` is written at most this often per token and process (not on every request). */
const LAST_USE_RESOLUTION_MS = 60_000;

/**
 * API tokens: random 256-bit secrets, stored as SHA-256 hashes only, each with an expiry. The
 * optional ADMIN_TOKEN from the environment bootstraps the first admin; it is compared in constant
 * time and lives as long as the configuration holds it.
 */
@Injectable()
export class TokensService {
  /** Token id → when this process last recorded its use. */
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly config: CoordinatorConfig,
    private readonly clock: Clock,
  ) {}

  async issue(
    name: string,
    role: Role,
    createdBy: string,
    expiresIn: string = DEFAULT_TOKEN_LIFETIME,
  ): Promise<IssuedToken> {
    const expiresAt = new Date(this.clock.now() + tokenLifetimeMs(expiresIn));
    const token = `concord_${randomBytes(32).toString('base64url')}`;
    const row = await this.tokens.save({
      name,
      role,
      tokenHash: hashOf(token),
      createdBy,
      revokedAt: null,
      expiresAt,
      lastUsedAt: null,
    });
    return { id: row.id, name, role, expiresAt: expiresAt.toISOString(), token };
  }

  async list(): Promise<TokenSummary[]> {
    const rows = await this.tokens.find({ order: { createdAt: 'ASC' } });
    const now = this.clock.now();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role as Role,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revoked: r.revokedAt !== null,
      state: stateOf(r, now),
    }));
  }

  async revoke(id: string): Promise<void> {
    const result = await this.tokens.update(
      { id, revokedAt: IsNull() },
      { revokedAt: new Date(this.clock.now()) },
    );
    if (!result.affected) throw new CoordinatorError('not-found', `no active token ${id}`);
  }

  /** The principal a bearer token stands for, or why it is refused. */
  async authenticate(token: string): Promise<Authentication> {
    if (token.length < 16 || token.length > 200) return UNKNOWN;
    const admin = this.config.ADMIN_TOKEN;
    if (admin && constantTimeEqual(sha256(utf8(token)), sha256(utf8(admin)))) {
      return { principal: { name: 'admin', role: 'admin', tokenId: undefined } };
    }
    // The lookup is by hash: equality on a hash of a 256-bit secret leaks nothing useful by timing.
    const row = await this.tokens.findOneBy({ tokenHash: hashOf(token) });
    if (!row) return UNKNOWN;
    const now = this.clock.now();
    switch (stateOf(row, now)) {
      case 'revoked':
        return { refused: 'revoked-token', message: 'this token was revoked' };
      case 'expired':
        return {
          refused: 'expired-token',
          message: `this token expired at ${row.expiresAt?.toISOString()}; ask an admin for a new one`,
        };
      case 'active':
        await this.recordUse(row.id, now);
        return { principal: { name: row.name, role: row.role as Role, tokenId: row.id } };
    }
  }

  private async recordUse(id: string, now: number): Promise<void> {
    const last = this.lastUseWritten.get(id);
    if (last !== undefined && now - last < LAST_USE_RESOLUTION_MS) return;
    this.lastUseWritten.set(id, now);
    await this.tokens.update({ id }, { lastUsedAt: new Date(now) });
  }
}

function stateOf(row: ApiTokenEntity, now: number): TokenState {
  if (row.revokedAt !== null) return 'revoked';
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}

function hashOf(token: string): string {
  return toHex(sha256(utf8(token)));
}
