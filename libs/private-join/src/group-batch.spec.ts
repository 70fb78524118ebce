import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { beginEnrolmentHolder, enrolmentHolderAnswer } from './enrolment-holder.js';
import { computeGroupBatch, type GroupBatch } from './group-batch.js';
import { GroupWorkerPool } from './group-workers.js';
import { POINT_BYTES } from './group.js';
import { runTask } from './join-task.js';
import { beginTapHolder } from './tap-holder.js';
import { PrivateJoinError } from './private-join-error.js';

const tokens = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) => `${tag}-${i.toString(16).padStart(10, '0')}`);

/** The tap holder's first message (`taps-once`), as bytes. */
function tapsOnce(list: readonly string[], seed: string): Uint8Array {
  return runTask(beginTapHolder(list, seededRandom(seed))).outgoing[0].bytes;
}

describe('a join step handed out in batches', () => {
  it('gives each batch of a received list its own bytes, not a view of the whole list', () => {
    // A view crosses to a worker thread with its whole buffer (structured clone copies the
    // ArrayBuffer, not the view): 10^6 received elements made each 256-element batch carry 32 MB.
    const holder = runTask(beginEnrolmentHolder(tokens(1, 'enrolled'), seededRandom('e'))).state;
    const task = enrolmentHolderAnswer(holder, tapsOnce(tokens(1000, 'card'), 't'));
    const batch = task.claim(3);
    expect(batch?.op).toBe('blind');
    if (batch?.op !== 'blind') return;
    expect(batch.encodings.length).toBe(3 * POINT_BYTES);
    expect(batch.encodings.buffer.byteLength).toBe(3 * POINT_BYTES);
  });

  it('sends the same bytes whichever batches are claimed, in whatever order they come back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat()),
        (count, batch, localEvery, order) => {
          const list = tokens(count, 'card');
          const whole = runTask(beginTapHolder(list, seededRandom('same-seed')));
          const task = beginTapHolder(list, seededRandom('same-seed'));
          const claimed: GroupBatch[] = [];
          for (let round = 0; !task.done; round++) {
            const b = round % (localEvery + 1) === 0 ? undefined : task.claim(batch);
            if (b) claimed.push(b);
            else if (task.step(batch) === 0) {
              // Everything is handed out: fill the outstanding batches in a scrambled order.
              while (claimed.length > 0) {
                const [next] = claimed.splice((order[claimed.length] ?? 0) % claimed.length, 1);
                task.fill(next, computeGroupBatch(next));
              }
            }
          }
          const split = task.result();
          expect(split.outgoing[0].bytes).toEqual(whole.outgoing[0].bytes);
          expect(split.order).toEqual(whole.order);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('turns a batch refused on another thread into the typed error, and takes a batch once', () => {
    const start = runTask(beginEnrolmentHolder(tokens(3, 'e'), seededRandom('a')));
    const task = enrolmentHolderAnswer(start.state, tapsOnce(tokens(4, 't'), 'b'));
    const batch = task.claim(2)!;
    expect(() =>
      task.fill(batch, { code: 'malformed-point', message: 'taps-once element 1 is bad' }),
    ).toThrow(PrivateJoinError);
    const second = task.claim(2)!;
    task.fill(second, computeGroupBatch(second));
    expect(() => task.fill(second, computeGroupBatch(second))).toThrow(RangeError);
    expect(() => task.result()).toThrow(RangeError);
  });

  it('refuses a received element that is not a point when the batch is computed, naming it', () => {
    const bytes = tapsOnce(tokens(3, 't'), 'c');
    const body = bytes.slice(6);
    body.fill(0xff, POINT_BYTES, 2 * POINT_BYTES);
    const batch: GroupBatch = {
      op: 'blind',
      first: 4,
      exponent: 5n,
      encodings: body,
      list: 'taps-once',
    };
    expect(() => computeGroupBatch(batch)).toThrow(/taps-once element 5/);
  });
});

describe('the worker pool', () => {
  const pool = new GroupWorkerPool(2);
  afterAll(() => pool.close());

  it('computes on worker threads exactly what this thread computes, and reports refusals', async () => {
    const batches: GroupBatch[] = [0, 1, 2, 3].map((i) => ({
      op: 'hash-and-blind',
      first: i * 50,
      exponent: 123_456_789n + BigInt(i),
      tokens: tokens(50, `w${i}`),
    }));
    const outputs = await Promise.all(batches.map((b) => pool.compute(b)));
    outputs.forEach((o, i) => expect(o).toEqual(computeGroupBatch(batches[i])));

    const bad: GroupBatch = {
      op: 'blind',
      first: 7,
      exponent: 3n,
      encodings: new Uint8Array(POINT_BYTES).fill(0xff),
      list: 'enrolled-once',
    };
    expect(await pool.compute(bad)).toEqual({
      code: 'malformed-point',
      message: 'enrolled-once element 7 is not a canonical ristretto255 encoding',
    });
  });

  it('refuses work once closed, and says so when its script was never built', async () => {
    const closed = new GroupWorkerPool(1);
    await closed.close();
    await expect(
      closed.compute({ op: 'hash-and-blind', first: 0, exponent: 1n, tokens: ['x'] }),
    ).rejects.toThrow(/closed/);
    const unbuilt = new GroupWorkerPool(1, () => undefined);
    await expect(
      unbuilt.compute({ op: 'hash-and-blind', first: 0, exponent: 1n, tokens: ['x'] }),
    ).rejects.toThrow(/npm run build/);
  });
});
