import { KEPT_CODES, type KeptCode } from '#concord/accounting';
import { canonicalBytes, canonicalJson, taggedHash, toHex } from '#concord/crypto';
import { Rational } from '#concord/dp';
import { NodeLedgerError, type NodeLedgerErrorCode } from './node-ledger-error.js';

/**
 * The agency ledger's file format, version 1: JSON lines. Line 1 is the header; every other line
 * is one event of one session, hash-chained to the line before it (so an edited, removed or
 * reordered line is detected, though anyone who can write the file can also rewrite the chain:
 * the chain catches faults and careless edits, not a determined local administrator).
 */
export const LEDGER_FORMAT = { format: 'concord-node-ledger', version: 1 } as const;
export const HEADER_LINE = canonicalJson(LEDGER_FORMAT);
/** `prev` of the first event line. */
export const GENESIS = '0'.repeat(64);

interface Linked {
  readonly sessionId: string;
  /** When it was recorded (ISO 8601); informative, not used by any rule. */
  readonly at: string;
  /** The previous line's hash (GENESIS for the first event). */
  readonly prev: string;
  readonly hash: string;
}

/** The session was charged: (ξ, ρ) in the bucket, exact rational text. */
export interface ChargeLine extends Linked {
  readonly kind: 'charge';
  readonly scope: string;
  readonly window: string;
  readonly rho: string;
  readonly xi: string;
}

/** The node received the go-ahead; written before it deals anything. */
export interface DataPhaseStartedLine extends Linked {
  readonly kind: 'data-phase-started';
}

/** The charge was given back: the session ended before this node's data phase. */
export interface RefundLine extends Linked {
  readonly kind: 'refund';
  /** Who ended it: the coordinator (which also refunded) or this node. */
  readonly outcome: 'aborted' | 'aborted-by-node';
}

/** The charge is spent for good (the refund rule's verdict). */
export interface SettledLine extends Linked {
  readonly kind: 'settled';
  readonly reason: KeptCode;
}

export type LedgerLine = ChargeLine | DataPhaseStartedLine | RefundLine | SettledLine;
export type LedgerLineKind = LedgerLine['kind'];

/** A line before it is linked into the chain. */
export type UnlinkedLine = LedgerLine extends infer L
  ? L extends LedgerLine
    ? Omit<L, 'prev' | 'hash'>
    : never
  : never;

/** Links `line` after the line whose hash is `prev`. */
export function linkLine(line: UnlinkedLine, prev: string): LedgerLine {
  const linked = { ...line, prev };
  return { ...linked, hash: lineHash(linked) };
}

/** The text of a line in the file (canonical JSON, no newline). */
export function lineText(line: LedgerLine): string {
  return canonicalJson(line);
}

/**
 * Parses and checks a whole file: its header, every line's form, and the chain. Rules between
 * lines (what may follow what) are the ledger state's (`NodeLedgerState.apply`). Throws
 * `NodeLedgerError` naming the file, the line and the rule.
 */
export function parseLedgerFile(path: string, text: string): LedgerLine[] {
  const fail = (code: NodeLedgerErrorCode, line: number, rule: string): never => {
    throw new NodeLedgerError(code, `ledger file ${path}, line ${line}: ${rule}`);
  };
  if (text.trimStart().startsWith('['))
    fail(
      'unknown-format',
      1,
      'a JSON array, the ledger format before version 1; this node reads only format 1 (JSON lines with a header). Settle or carry over its balances by hand and start a new file',
    );
  // The node never leaves an empty file (it writes the header with the first line).
  if (text === '') fail('truncated', 1, 'the file is empty');
  const lines = text.split('\n');
  if (lines.pop() !== '')
    fail('truncated', lines.length + 1, 'the file does not end with a complete line');
  if (lines[0] !== HEADER_LINE)
    fail(
      'unknown-format',
      1,
      `the first line must be the header ${HEADER_LINE} (another format, or not a ledger)`,
    );
  const out: LedgerLine[] = [];
  let prev = GENESIS;
  for (let i = 1; i < lines.length; i++) {
    const number = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch {
      fail('malformed-line', number, 'not JSON');
    }
    const problem = formProblem(value);
    if (problem) fail('malformed-line', number, problem);
    const line = value as LedgerLine;
    if (line.prev !== prev)
      fail('chain-broken', number, 'its prev is not the hash of the line before it');
    const { hash, ...linked } = line;
    if (hash !== lineHash(linked)) fail('chain-broken', number, 'its hash does not match it');
    out.push(line);
    prev = hash;
  }
  return out;
}

const HEX64 = /^[0-9a-f]{64}$/;
const FIELDS: Readonly<Record<LedgerLineKind, readonly string[]>> = {
  charge: ['scope', 'window', 'rho', 'xi'],
  'data-phase-started': [],
  refund: ['outcome'],
  settled: ['reason'],
};
const COMMON = ['kind', 'sessionId', 'at', 'prev', 'hash'];

/** What is wrong with a parsed line's form, or undefined if nothing. */
function formProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (typeof v.kind !== 'string' || !(v.kind in FIELDS))
    return `unknown kind ${JSON.stringify(v.kind)}`;
  const allowed = [...COMMON, ...FIELDS[v.kind as LedgerLineKind]];
  const keys = Object.keys(v);
  const extra = keys.filter((k) => !allowed.includes(k));
  const missing = allowed.filter((k) => !keys.includes(k));
  if (extra.length || missing.length)
    return `a ${v.kind} line has exactly the fields ${allowed.join(', ')}`;
  for (const k of ['sessionId', 'at', 'scope', 'window'])
    if (k in v && (typeof v[k] !== 'string' || v[k] === '' || v[k].length > 200))
      return `${k} must be a non-empty string of at most 200 characters`;
  if (typeof v.prev !== 'string' || !HEX64.test(v.prev)) return 'prev must be 64 hex digits';
  if (typeof v.hash !== 'string' || !HEX64.test(v.hash)) return 'hash must be 64 hex digits';
  if (v.kind === 'charge') {
    if (!canonicalRational(v.rho, 'positive')) return 'rho must be a canonical rational > 0';
    if (!canonicalRational(v.xi, 'non-negative')) return 'xi must be a canonical rational >= 0';
  }
  if (v.kind === 'refund' && v.outcome !== 'aborted' && v.outcome !== 'aborted-by-node')
    return 'outcome must be aborted or aborted-by-node';
  if (v.kind === 'settled' && !(KEPT_CODES as readonly unknown[]).includes(v.reason))
    return `reason must be one of ${KEPT_CODES.join(', ')}`;
  return undefined;
}

function canonicalRational(value: unknown, sign: 'positive' | 'non-negative'): boolean {
  if (typeof value !== 'string' || value.length > 160) return false;
  try {
    const r = Rational.parse(value);
    return r.toString() === value && (sign === 'positive' ? r.sign() > 0 : r.sign() >= 0);
  } catch {
    return false;
  }
}

function lineHash(linked: Omit<LedgerLine, 'hash'>): string {
  return toHex(taggedHash('concord/node-ledger/v1/line', canonicalBytes(linked)));
}
