// Part (c) of the benchmark: the same work done by the stock JIFF client (jiff-mpc@1.0.0) through
// its own JIFFServer, as a baseline for Concord's figures.
//
// One run = one stock JIFFServer process (socket.io 2 on 127.0.0.1, OS-chosen port; with the
// bignumber server extension for the bignumber variant) + three stock client processes (party
// k in its own Node process: no bignumber cross-talk, one process per party as in Concord). Each
// client connects and reports ready; the runner then tells all three to go, and the wall time runs
// from that instant (just before the first `share`) until the last party reports that it holds
// all m opened results. Results are written to files afterwards and checked against the plaintext
// answer outside the timed window. Every child is killed on timeout, failure or completion.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { benchInputs } from './jiff/bench-inputs.js';
import { ChildHandle, Waiter } from './jiff/child-handle.js';
import {
  type PartyConfig,
  type PartyToParent,
  type ServerToParent,
  type StockJiffVariant,
  type StockJiffWork,
} from './jiff/messages.js';

export type { StockJiffVariant, StockJiffWork };

export interface StockJiffOptions {
  /** `sum`: three parties' m-vectors summed elementwise; `multiply`: parties 1 and 2's m-vectors multiplied elementwise. */
  readonly work: StockJiffWork;
  readonly m: number;
  /** `default-prime`: base client, Zp = 16,777,729; `bignumber-2^61`: bignumber extension, Zp = 2^61 − 1. */
  readonly variant: StockJiffVariant;
  /** Budget for the work itself (first share to last party holding the results). */
  readonly timeoutMs: number;
}

export interface StockJiffResult {
  /** All three parties held all m opened results within the budget. */
  readonly finished: boolean;
  /** First share to all parties holding the results; the elapsed time when not finished. */
  readonly wallMs: number;
  /** m / wall time; 0 when not finished. */
  readonly elementsPerSecond: number;
  /**
   * Mean over the three parties of the bytes the client process wrote to its TCP sockets (all to
   * the JIFF server) during the timed window; a lower bound (last progress report) if not finished.
   */
  readonly bytesSentPerParty: number;
  /** Every party's m opened results equal the plaintext answer. */
  readonly correct: boolean;
  readonly note?: string;
}

const PARTY_COUNT = 3;
/** Server start and client connection (before the timed window). */
const SETUP_TIMEOUT_MS = 60_000;
/** Writing the results files, after the timed window. */
const WRITE_TIMEOUT_MS = 120_000;
/** A finished party's `free` and disconnect. */
const FINISH_TIMEOUT_MS = 5_000;

/** The compiled child entry points (the benchmark runs from dist/ after `npm run build`). */
function childScript(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const dir = here.endsWith('.js')
    ? join(dirname(here), 'jiff')
    : resolve(dirname(here), '../../dist/test/bench/jiff');
  const path = join(dir, `${name}.js`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

interface PartyState {
  ready: boolean;
  done: boolean;
  written: boolean;
  bytesSent: number;
  opened: number;
  error: string | null;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function benchStockJiff(options: StockJiffOptions): Promise<StockJiffResult> {
  const { work, m, variant, timeoutMs } = options;
  if (!Number.isSafeInteger(m) || m < 1) throw new RangeError(`m must be a positive integer: ${m}`);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive: ${timeoutMs}`);

  const inputs = benchInputs(work, m);
  const dir = await mkdtemp(join(tmpdir(), 'concord-jiff-baseline-'));
  const waiter = new Waiter();
  const children: ChildHandle<unknown>[] = [];
  const failed = (...why: string[]): StockJiffResult => ({
    finished: false,
    wallMs: 0,
    elementsPerSecond: 0,
    bytesSentPerParty: 0,
    correct: false,
    note: why.join('; '),
  });

  try {
    // The stock server.
    const started: { port: number | null; error: string | null } = { port: null, error: null };
    const server = new ChildHandle<ServerToParent>(
      'server',
      childScript('server-process'),
      { variant },
      (message) => {
        if (message.type === 'listening') started.port = message.port;
        else started.error = message.error;
        waiter.notify();
      },
      () => waiter.notify(),
    );
    children.push(server);
    await waiter.until(
      () => started.port !== null || started.error !== null || server.exited,
      SETUP_TIMEOUT_MS,
    );
    if (started.port === null) {
      return failed('stock server did not start', started.error ?? server.describe());
    }
    const url = `http://127.0.0.1:${started.port}`;

    // The three stock clients.
    const states: PartyState[] = [];
    const parties: ChildHandle<PartyToParent>[] = [];
    let end = 0;
    const computationId = `bench-${work}-${variant}-${m}`;
    for (let k = 1; k <= PARTY_COUNT; k++) {
      const vector = inputs.vectors[k - 1];
      const inputFile = vector === null ? null : join(dir, `input-${k}.json`);
      if (inputFile !== null) await writeFile(inputFile, JSON.stringify(vector));
      const config: PartyConfig = {
        url,
        computationId,
        partyId: k,
        partyCount: PARTY_COUNT,
        work,
        variant,
        m,
        inputFile,
        resultFile: join(dir, `result-${k}.txt`),
      };
      const state: PartyState = {
        ready: false,
        done: false,
        written: false,
        bytesSent: 0,
        opened: 0,
        error: null,
      };
      states.push(state);
      const party = new ChildHandle<PartyToParent>(
        `party ${k}`,
        childScript('party-process'),
        config,
        (message) => {
          switch (message.type) {
            case 'ready':
              state.ready = true;
              break;
            case 'progress':
              state.bytesSent = message.bytesSent;
              state.opened = message.opened;
              break;
            case 'done':
              state.done = true;
              state.opened = m;
              if (states.every((s) => s.done)) end = performance.now();
              break;
            case 'written':
              state.written = true;
              state.bytesSent = message.bytesSent;
              break;
            case 'failed':
              state.error = message.error;
              break;
          }
          waiter.notify();
        },
        () => waiter.notify(),
      );
      parties.push(party);
      children.push(party);
    }
    const trouble = () =>
      server.exited ||
      parties.some((p, i) => p.exited && !states[i].written) ||
      states.some((s) => s.error !== null);
    const describeTrouble = () => [
      ...(server.exited ? [server.describe()] : []),
      ...parties.flatMap((party, i) => {
        const error = states[i].error;
        if (error !== null) return [`${party.name}: ${error.split('\n')[0]}`];
        return party.exited ? [party.describe()] : [];
      }),
    ];

    await waiter.until(() => states.every((s) => s.ready) || trouble(), SETUP_TIMEOUT_MS);
    if (!states.every((s) => s.ready)) {
      return failed('stock clients did not all connect', ...describeTrouble());
    }

    // The timed window.
    const start = performance.now();
    for (const party of parties) party.send({ type: 'go' });
    const settled = await waiter.until(() => states.every((s) => s.done) || trouble(), timeoutMs);
    if (!states.every((s) => s.done)) {
      const elapsed = performance.now() - start;
      const progress = `opened ${states.map((s) => s.opened).join('/')} of ${m} (parties 1/2/3)`;
      return {
        finished: false,
        wallMs: elapsed,
        elementsPerSecond: 0,
        bytesSentPerParty: mean(states.map((s) => s.bytesSent)),
        correct: false,
        note: settled
          ? ['a process failed', ...describeTrouble(), progress].join('; ')
          : `timed out after ${Math.round(elapsed)} ms; ${progress}`,
      };
    }
    const wallMs = end - start;

    // The check, outside the timed window.
    await waiter.until(() => states.every((s) => s.written) || trouble(), WRITE_TIMEOUT_MS);
    const written = states.every((s) => s.written);
    const bytesByParty = states.map((s) => s.bytesSent);
    let wrong = 0;
    if (written) {
      for (let k = 1; k <= PARTY_COUNT; k++) {
        const lines = (await readFile(join(dir, `result-${k}.txt`), 'utf8')).split('\n');
        for (let i = 0; i < m; i++) if (lines[i] !== inputs.expected[i]) wrong++;
      }
    }
    for (const party of parties) party.send({ type: 'finish' });
    await waiter.until(() => parties.every((p) => p.exited), FINISH_TIMEOUT_MS);

    const notes = [`bytes sent by parties 1-3: ${bytesByParty.join(', ')}`];
    if (!written) notes.unshift('results could not be collected', ...describeTrouble());
    else if (wrong > 0) notes.unshift(`${wrong} of ${PARTY_COUNT * m} opened results wrong`);
    return {
      finished: true,
      wallMs,
      elementsPerSecond: m / (wallMs / 1000),
      bytesSentPerParty: mean(bytesByParty),
      correct: written && wrong === 0,
      note: notes.join('; '),
    };
  } finally {
    await Promise.all(children.map((child) => child.kill()));
    await rm(dir, { recursive: true, force: true });
  }
}
