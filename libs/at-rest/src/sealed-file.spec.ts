import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, utf8 } from '#concord/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtRestError } from './at-rest-error.js';
import { singleKekRing } from './kek-ring.js';
import { operatorKeyKek } from './operator-key.js';
import { SealedFile } from './sealed-file.js';

const rng = seededRandom('sealed-file.spec');
const kekA = operatorKeyKek(new Uint8Array(32).fill(1), rng);
const kekB = operatorKeyKek(new Uint8Array(32).fill(2), rng);
const CONTEXT = { purpose: 'node-ledger', agencyId: 'farepay' };

describe('SealedFile', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sealed-file-'));
    path = join(dir, 'ledger.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads nothing from an absent file, then what it wrote; no temporary file is left', () => {
    const file = new SealedFile(path, singleKekRing(kekA), CONTEXT, rng);
    expect(file.read()).toBeUndefined();
    file.write(utf8('session s-42\n'));
    expect(Buffer.from(file.read()!).toString()).toBe('session s-42\n');
    expect(readFileSync(path).includes('s-42')).toBe(false);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('refuses a plaintext file by name instead of reading it as empty', () => {
    writeFileSync(path, '{"format":"concord-node-ledger","version":1}\n');
    const file = new SealedFile(path, singleKekRing(kekA), CONTEXT, rng);
    expect(() => file.read()).toThrow(AtRestError);
    expect(() => file.read()).toThrow(`${path} is not sealed`);
  });

  it('rewraps a file under a new KEK once, and says so when run again', () => {
    new SealedFile(path, singleKekRing(kekA), CONTEXT, rng).write(utf8('balance'));
    const old = new SealedFile(path, singleKekRing(kekA), CONTEXT, rng);
    expect(old.rewrap(kekB)).toBe('rewrapped');
    expect(old.rewrap(kekB)).toBe('already-under-new-kek');
    expect(() => old.read()).toThrow(/refused and not used/);
    const next = new SealedFile(path, singleKekRing(kekB), CONTEXT, rng);
    expect(Buffer.from(next.read()!).toString()).toBe('balance');
    expect(new SealedFile(join(dir, 'absent'), singleKekRing(kekA), CONTEXT).rewrap(kekB)).toBe(
      'absent',
    );
  });
});
