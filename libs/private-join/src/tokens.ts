import { hashToken, type GroupElement } from './group.js';
import { PrivateJoinError } from './private-join-error.js';

/**
 * Validates a holder's own token list and hashes it: every token a non-empty string, none twice
 * (a repeated token would show up as an equal pair downstream and skew the indicator vector).
 * The error names positions, never a token.
 */
export function hashTokenList(tokens: readonly string[], list: string): GroupElement[] {
  checkTokenList(tokens, list);
  return tokens.map(hashToken);
}

/** The checks of `hashTokenList` without the hashing (a task then hashes token by token). */
export function checkTokenList(tokens: readonly string[], list: string): void {
  const seen = new Map<string, number>();
  tokens.forEach((token, i) => {
    if (typeof token !== 'string' || token.length === 0) {
      throw new PrivateJoinError('malformed-token', `${list} token ${i} is empty or not a string`);
    }
    const earlier = seen.get(token);
    if (earlier !== undefined) {
      throw new PrivateJoinError('duplicate-token', `${list} tokens ${earlier} and ${i} are equal`);
    }
    seen.set(token, i);
  });
}
