import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { readIdentityFile, writeIdentityFile } from './identity-file.js';

describe('identity key files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-keys-'));

  it('are written owner-only, never overwritten, and read back', () => {
    const path = join(dir, 'a.key.json');
    const pair = writeIdentityFile(path, 'metro-transit', seededRandom('keys'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => writeIdentityFile(path, 'metro-transit', seededRandom('keys'))).toThrow(/EEXIST/);
    const read = readIdentityFile(path);
    expect(read.agencyId).toBe('metro-transit');
    expect(read.identity.publicKey).toEqual(pair.publicKey);
  });

  it('refuse a file whose public key does not match its secret, or that is not a key file', () => {
    const path = join(dir, 'b.key.json');
    writeIdentityFile(path, 'farepay', seededRandom('keys-b'));
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    writeFileSync(join(dir, 'c.key.json'), JSON.stringify({ ...json, publicKey: '00'.repeat(32) }));
    expect(() => readIdentityFile(join(dir, 'c.key.json'))).toThrow(/does not match/);
    writeFileSync(join(dir, 'd.key.json'), '{"format":"other"}');
    expect(() => readIdentityFile(join(dir, 'd.key.json'))).toThrow(
      /not a Concord identity key file/,
    );
    expect(() => readIdentityFile(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});
