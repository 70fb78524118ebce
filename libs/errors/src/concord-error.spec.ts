import { describe, expect, it } from 'vitest';
import { ConcordError, describeError, isConcordError } from './concord-error.js';

class SampleError extends ConcordError<'bad-thing' | 'worse-thing'> {
  readonly domain = 'sample';
}

describe('ConcordError', () => {
  it('carries its code, domain, class name and cause', () => {
    const cause = new Error('underlying');
    const e = new SampleError('bad-thing', 'a bad thing happened', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(isConcordError(e)).toBe(true);
    expect([e.code, e.domain, e.name, e.message]).toEqual([
      'bad-thing',
      'sample',
      'SampleError',
      'a bad thing happened',
    ]);
    expect(e.cause).toBe(cause);
  });

  it('describes errors of every kind in one line', () => {
    expect(describeError(new SampleError('worse-thing', 'oops'))).toBe('sample/worse-thing: oops');
    expect(describeError(new TypeError('nope'))).toBe('TypeError: nope');
    expect(describeError('text')).toBe('text');
    expect(isConcordError(new Error('x'))).toBe(false);
  });
});
