import type { OutputRelease } from '#concord/coordination';
import { fieldById, fromBigInts } from '#concord/field';
import type { ResultEntity } from '#concord/persistence';
import { describe, expect, it } from 'vitest';
import type { StoredValues } from './download/stored-values.js';
import { outputFromEntity, outputToEntity, storedOutputFromEntity } from './session.mapper.js';

const SESSION = '00000000-0000-4000-8000-0000000000aa';

/** The values' text, checked to be split where the boundaries say. */
function text(values: StoredValues): string {
  const whole = values.bytes.toString('latin1');
  const ends = Array.from(values.ends);
  expect(ends).toEqual(whole.split(',').map((_, i, all) => all.slice(0, i + 1).join(',').length));
  return whole;
}

function release(field: string, values: bigint[]): OutputRelease {
  return {
    name: 'riders',
    unit: 'count',
    values: fromBigInts(fieldById(field), values),
    cells: values.length,
    intervalHalfWidth: 12n,
    confidenceLevel: '0.95',
    noise: { mechanism: 'discrete-gaussian' },
  };
}

/** The row as the database hands it back: a Buffer of its own, not the vector's memory. */
function stored(o: OutputRelease): ResultEntity {
  const row = outputToEntity(SESSION, o) as unknown as ResultEntity;
  return { ...row, noisyLimbs: Buffer.from(row.noisyLimbs!), id: 'r' };
}

describe('released values in the results row', () => {
  it('are stored as the vector’s limbs in its field, and read back as the same decimals', () => {
    const values = [0n, 1n, -1n, 1_000_000n, -(2n ** 40n), 2n ** 53n + 1n];
    const o = release('rns31x2', values);
    const row = stored(o);
    expect(row.valueField).toBe('rns31x2');
    expect(row.noisyValues).toBeNull();
    expect(row.noisyLimbs!.byteLength).toBe(2 * 4 * values.length);
    expect(text(storedOutputFromEntity(row).values)).toBe(values.join(','));
    expect(outputFromEntity(row).values).toEqual(values.map(String));
  });

  it('take 4 bytes a value in a one-limb field', () => {
    const row = stored(release('rns31x1', [5n, -7n, 0n]));
    expect(row.noisyLimbs!.byteLength).toBe(12);
    expect(text(storedOutputFromEntity(row).values)).toBe('5,-7,0');
  });

  it('of a release stored before binary results are its text, as stored', () => {
    const row = {
      ...stored(release('rns31x1', [1n])),
      noisyLimbs: null,
      valueField: null,
      noisyValues: '3,-4,0',
    };
    expect(text(storedOutputFromEntity(row).values)).toBe('3,-4,0');
    expect(outputFromEntity(row).values).toEqual(['3', '-4', '0']);
  });

  it('are refused, never served, when a stored limb is not canonical', () => {
    const row = stored(release('rns31x1', [5n, 6n]));
    row.noisyLimbs!.writeUInt32LE(fieldById('rns31x1').primes[0], 4);
    expect(() => storedOutputFromEntity(row)).toThrow(/not canonical/);
  });
});
