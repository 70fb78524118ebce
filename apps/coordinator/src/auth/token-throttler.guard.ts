import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/** Rate limits per bearer token (hashed), or per client address for anonymous calls. */
@Injectable()
export class TokenThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const headers = request.headers as Record<string, string | undefined> | undefined;
    const auth = headers?.authorization;
    if (auth) return Promise.resolve(`token:${createHash('sha256').update(auth).digest('hex')}`);
    return Promise.resolve(`ip:${typeof request.ip === 'string' ? request.ip : 'unknown'}`);
  }
}
