import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, type Repository } from 'typeorm';
import { constantTimeEqual, sha256, toHex, utf8 } from '#concord/crypto';
import { ApiTokenEntity } from '#concord/persistence';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import type { Principal, Role } from './principal.js';

export interface IssuedToken {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** The secret itself: returned once, never stored. */
  readonly token: string;
}

export interface TokenSummary {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revoked: boolean;
}

/**
 * API tokens: random 256-bit secrets, stored as SHA-256 hashes only. The optional ADMIN_TOKEN
 * from the environment bootstraps the first admin; it is compared in constant time.
 */
@Injectable()
export class TokensService {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly config: CoordinatorConfig,
  ) {}

  async issue(name: string, role: Role, createdBy: string): Promise<IssuedToken> {
    const token = `concord_${randomBytes(32).toString('base64url')}`;
    const row = await this.tokens.save({
      name,
      role,
      tokenHash: hashOf(token),
      createdBy,
      revokedAt: null,
    });
    return { id: row.id, name, role, token };
  }

  async list(): Promise<TokenSummary[]> {
    const rows = await this.tokens.find({ order: { createdAt: 'ASC' } });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role as Role,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      revoked: r.revokedAt !== null,
    }));
  }

  async revoke(id: string): Promise<void> {
    const result = await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new CoordinatorError('not-found', `no active token ${id}`);
  }

  /** The principal a bearer token stands for, or undefined. */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (token.length < 16 || token.length > 200) return undefined;
    const admin = this.config.ADMIN_TOKEN;
    if (admin && constantTimeEqual(sha256(utf8(token)), sha256(utf8(admin)))) {
      return { name: 'admin', role: 'admin', tokenId: undefined };
    }
    const row = await this.tokens.findOneBy({ tokenHash: hashOf(token), revokedAt: IsNull() });
    return row ? { name: row.name, role: row.role as Role, tokenId: row.id } : undefined;
  }
}

function hashOf(token: string): string {
  return toHex(sha256(utf8(token)));
}
