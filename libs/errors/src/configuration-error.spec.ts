import { describe, expect, it } from 'vitest';
import { ConfigurationError, isConcordError } from './index.js';

describe('ConfigurationError', () => {
  it('says in one line which setting must be what, and what it got', () => {
    const e = new ConfigurationError({
      setting: 'PORT',
      requirement: 'an integer between 0 and 65535',
      shown: '"abc"',
    });
    expect(isConcordError(e)).toBe(true);
    expect([e.domain, e.code]).toEqual(['configuration', 'invalid-configuration']);
    expect(e.message).toBe(
      'configuration error: PORT must be an integer between 0 and 65535 (got "abc")',
    );
  });

  it('lists several settings in the same line, and keeps a value with a newline on it', () => {
    const e = new ConfigurationError(
      { setting: 'LOG_LEVEL', requirement: 'one of info, warn', shown: '"a\nb"' },
      { setting: 'CONSORTIUM_FILE', requirement: 'set' },
    );
    expect(e.message).toBe(
      'configuration error: LOG_LEVEL must be one of info, warn (got "a b"); CONSORTIUM_FILE must be set',
    );
    expect(e.issues.map((i) => i.setting)).toEqual(['LOG_LEVEL', 'CONSORTIUM_FILE']);
  });
});
