import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { systemRandom } from '#concord/crypto';
import { DEFAULT_WORKER_BATCH } from '#concord/engine';
import {
  beginEnrolmentHolder,
  beginTapHolder,
  blind,
  decodeElement,
  enrolmentHolderAnswer,
  GroupWorkerPool,
  type JoinTask,
  encodeJoinMessage,
  hashToken,
  JOIN_HEADER_BYTES,
  POINT_BYTES,
  PRIVATE_JOIN_DST,
  matcherReceive,
  randomExponent,
  runJoinInProcess,
  runTask,
  tapHolderAnswer,
  startMatcher,
} from '#concord/private-join';

/** One size's figures; `extrapolated` when the full run was predicted to exceed the budget. */
export interface JoinSizeFigures {
  readonly taps: number;
  readonly enrolled: number;
  readonly intersection: number;
  readonly ms: number;
  readonly extrapolated: boolean;
  readonly bytesPerToken: number;
  readonly plaintextMs: number;
  readonly ratioToPlaintext: number;
}

export interface JoinFigures {
  /** Per-operation rates (per second) measured on `sample` tokens after a warm-up. */
  readonly rates: {
    readonly hashToCurve: number;
    readonly blind: number;
    readonly encode: number;
    readonly decode: number;
    readonly match: number;
    /** The same hashing and blinding in @noble/curves, the pure-JavaScript baseline. */
    readonly nobleHashToCurve: number;
    readonly nobleBlind: number;
  };
  readonly sample: number;
  readonly sizes: readonly JoinSizeFigures[];
  /** Full runs predicted above this are extrapolated from the largest full run. */
  readonly budgetMs: number;
}

const toHexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const token = (i: number): string => `card-${i.toString(16).padStart(16, '0')}`;

/**
 * The processor holds n tokens; the enrolment list has n/5 tokens (a 20 % programme), 80 % of
 * them seen in the processor's taps — the proportions of the reduced-fare programme.
 */
export function joinLists(n: number): { taps: string[]; enrolled: string[] } {
  const taps = Array.from({ length: n }, (_, i) => token(i));
  const enrolledCount = Math.floor(n / 5);
  const inTaps = Math.floor(enrolledCount * 0.8);
  const enrolled = Array.from({ length: enrolledCount }, (_, i) =>
    i < inTaps ? token(i * 5) : token(n + i),
  );
  return { taps, enrolled };
}

function rate(count: number, run: () => void): number {
  const started = performance.now();
  run();
  return count / ((performance.now() - started) / 1000);
}

/**
 * The same-process baseline: a plaintext hash-set intersection producing the same indicator
 * vector. Returns the time per run and the intersection size (checked, so the work is used).
 */
function plaintextJoin(taps: string[], enrolled: string[]): { ms: number; size: number } {
  const reps = Math.max(1, Math.floor(1e6 / taps.length));
  let size = 0;
  const started = performance.now();
  for (let r = 0; r < reps; r++) {
    const set = new Set(enrolled);
    const indicators = new Uint8Array(taps.length);
    size = 0;
    for (let j = 0; j < taps.length; j++) {
      if (set.has(taps[j])) {
        indicators[j] = 1;
        size++;
      }
    }
  }
  return { ms: (performance.now() - started) / reps, size };
}

/** Group-operation rates, then end-to-end in-process joins, each against plaintext. */
export function benchPrivateJoin(
  sizes: readonly number[],
  /** Tokens timed per group-operation rate (at least 200: the warm-up's size). */
  sample: number,
  budgetMs: number,
  onSize: (figures: JoinSizeFigures) => void,
  onRates: (rates: JoinFigures['rates'], sample: number) => void,
): JoinFigures {
  const tokens = Array.from({ length: sample }, (_, i) => token(i));
  const k = randomExponent(systemRandom);
  // Warm-up (JIT, noble's precomputed tables) before anything is timed.
  for (const t of tokens.slice(0, 200)) blind(hashToken(t), k);
  let points = tokens.map(hashToken);
  const hashToCurve = rate(sample, () => {
    points = tokens.map(hashToken);
  });
  let blinded = points;
  const blindRate = rate(sample, () => {
    blinded = points.map((p) => blind(p, k));
  });
  let encoded: Uint8Array = new Uint8Array(0);
  const encode = rate(sample, () => {
    encoded = encodeJoinMessage('taps-twice', blinded);
  });
  const decode = rate(sample, () => {
    for (let j = 0; j < sample; j++) {
      const at = JOIN_HEADER_BYTES + POINT_BYTES * j;
      decodeElement(encoded.subarray(at, at + POINT_BYTES), 'x');
    }
  });
  // Matching: the matcher's whole step (parse and validate both lists, then the set lookup).
  const half = Math.floor(sample / 2);
  const enrolledTwice = encodeJoinMessage('enrolled-twice', blinded.slice(0, half));
  const match = rate(sample + half, () => {
    const first = matcherReceive(startMatcher(), enrolledTwice);
    matcherReceive(first.state, encoded);
  });
  // The pure-JavaScript baseline the library used before libsodium: same tokens, same exponent.
  const dst = { DST: PRIVATE_JOIN_DST };
  const bytes = tokens.map((t) => new TextEncoder().encode(t));
  const noblePoints = bytes.map((b) => ristretto255_hasher.hashToCurve(b, dst));
  for (const p of noblePoints.slice(0, 200)) p.multiply(k);
  const nobleHashToCurve = rate(sample, () => {
    for (const b of bytes) ristretto255_hasher.hashToCurve(b, dst);
  });
  const nobleBlind = rate(sample, () => {
    for (const p of noblePoints) p.multiply(k);
  });
  if (toHexOf(noblePoints[0].multiply(k).toBytes()) !== toHexOf(blind(points[0], k))) {
    throw new Error('libsodium and @noble/curves disagree on a blinded token');
  }
  const rates = {
    hashToCurve,
    blind: blindRate,
    encode,
    decode,
    match,
    nobleHashToCurve,
    nobleBlind,
  };
  onRates(rates, sample);

  const figures: JoinSizeFigures[] = [];
  let measured: JoinSizeFigures | undefined;
  for (const n of sizes) {
    const { taps, enrolled } = joinLists(n);
    const intersection = Math.floor(Math.floor(n / 5) * 0.8);
    const plain = plaintextJoin(taps, enrolled);
    if (plain.size !== intersection) throw new Error('plaintext baseline: wrong intersection');
    const plaintextMs = plain.ms;
    const tokenCount = taps.length + enrolled.length;
    // Predicted from the last full run (the protocol is linear in the tokens), or from the rates.
    const predictedMs = measured
      ? (measured.ms * n) / measured.taps
      : 1000 *
        (tokenCount / hashToCurve +
          (2 * tokenCount) / blindRate +
          (2 * tokenCount) / encode +
          (2 * tokenCount) / decode);
    let row: JoinSizeFigures;
    if (predictedMs <= budgetMs) {
      const started = performance.now();
      const run = runJoinInProcess(enrolled, taps, {
        enrolmentHolder: systemRandom,
        tapHolder: systemRandom,
      });
      const ms = performance.now() - started;
      if (run.match.intersectionSize !== intersection) {
        throw new Error(`private join of ${n} tokens found the wrong intersection`);
      }
      const bytes = run.messages.reduce((s, m) => s + m.bytes.length, 0);
      row = {
        taps: n,
        enrolled: enrolled.length,
        intersection,
        ms,
        extrapolated: false,
        bytesPerToken: bytes / tokenCount,
        plaintextMs,
        ratioToPlaintext: ms / plaintextMs,
      };
      measured = row;
    } else {
      row = {
        taps: n,
        enrolled: enrolled.length,
        intersection,
        ms: predictedMs,
        extrapolated: true,
        // Two 32-byte elements per token, plus four 6-byte headers.
        bytesPerToken: 64 + 24 / tokenCount,
        plaintextMs,
        ratioToPlaintext: predictedMs / plaintextMs,
      };
    }
    figures.push(row);
    onSize(row);
  }
  return { rates, sample, sizes: figures, budgetMs };
}

/**
 * One holder's blinding step (check the received list, then decode, check and blind each element,
 * then encode) through the library's worker pool, in elements per second: the path an agency
 * node takes, `threads` batches of `batch` elements in flight at a time. Needs the compiled
 * worker, so it runs from `dist` only.
 */
export async function blindRateWithWorkers(
  sample: number,
  threads: number,
  batch = DEFAULT_WORKER_BATCH,
): Promise<number> {
  const holder = runTask(beginEnrolmentHolder([token(-1)], systemRandom)).state;
  const received = runTask(
    beginTapHolder(
      Array.from({ length: sample }, (_, j) => token(j)),
      systemRandom,
    ),
  ).outgoing[0].bytes;
  const pool = new GroupWorkerPool(threads);
  try {
    // Warm-up outside the timed region: each thread starts and instantiates libsodium.
    await Promise.all(
      Array.from({ length: threads }, (_, i) =>
        pool.compute({ op: 'hash-and-blind', first: 0, exponent: 1n, tokens: [token(-2 - i)] }),
      ),
    );
    const started = performance.now();
    const task = enrolmentHolderAnswer(holder, received);
    const run = async (): Promise<void> => {
      for (let b = task.claim(batch); b; b = task.claim(batch)) task.fill(b, await pool.compute(b));
    };
    await Promise.all(Array.from({ length: threads }, run));
    task.result();
    return sample / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}

/** One end-to-end join with every holder pass on worker threads, against plaintext. */
export interface WorkerJoinFigures {
  readonly taps: number;
  readonly enrolled: number;
  readonly intersection: number;
  readonly threads: number;
  /** First passes (both holders at once), answers (both at once), matching, in ms. */
  readonly phases: { readonly first: number; readonly answers: number; readonly match: number };
  readonly ms: number;
  readonly plaintextMs: number;
}

/**
 * The join as agency nodes run it, minus the network: each holder's hash-and-blind and blind
 * passes handed to a pool of `threads` worker threads in batches (the nodes' `GroupWorkerPool`,
 * one per core), the two holders' passes at the same time as on their own machines, then the
 * matcher's step on this thread. Both holders share this machine's cores, as they do here.
 */
export async function joinWithWorkers(n: number, threads: number): Promise<WorkerJoinFigures> {
  const { taps, enrolled } = joinLists(n);
  const intersection = Math.floor(Math.floor(n / 5) * 0.8);
  const plain = plaintextJoin(taps, enrolled);
  const pool = new GroupWorkerPool(threads);
  const drive = async <T>(task: JoinTask<T>): Promise<T> => {
    const run = async (): Promise<void> => {
      for (let b = task.claim(DEFAULT_WORKER_BATCH); b; b = task.claim(DEFAULT_WORKER_BATCH))
        task.fill(b, await pool.compute(b));
    };
    await Promise.all(Array.from({ length: threads }, run));
    if (!task.done) task.step(task.size);
    return task.result();
  };
  try {
    // Warm-up outside the timed region: each thread starts and instantiates libsodium.
    await Promise.all(
      Array.from({ length: threads }, (_, i) =>
        pool.compute({ op: 'hash-and-blind', first: 0, exponent: 1n, tokens: [token(-2 - i)] }),
      ),
    );
    const started = performance.now();
    const [holderE, holderT] = await Promise.all([
      drive(beginEnrolmentHolder(enrolled, systemRandom)),
      drive(beginTapHolder(taps, systemRandom)),
    ]);
    const firstDone = performance.now();
    const [answerE, answerT] = await Promise.all([
      drive(enrolmentHolderAnswer(holderE.state, holderT.outgoing[0].bytes)),
      drive(tapHolderAnswer(holderT.state, holderE.outgoing[0].bytes, systemRandom)),
    ]);
    const answered = performance.now();
    let matcher = startMatcher();
    let size: number | undefined;
    for (const m of [...answerT.outgoing, ...answerE.outgoing]) {
      const step = matcherReceive(matcher, m.bytes);
      matcher = step.state;
      size = step.match?.intersectionSize ?? size;
    }
    const ended = performance.now();
    if (size !== intersection) throw new Error(`private join of ${n} tokens: wrong intersection`);
    return {
      taps: n,
      enrolled: enrolled.length,
      intersection,
      threads,
      phases: {
        first: firstDone - started,
        answers: answered - firstDone,
        match: ended - answered,
      },
      ms: ended - started,
      plaintextMs: plain.ms,
    };
  } finally {
    await pool.close();
  }
}
