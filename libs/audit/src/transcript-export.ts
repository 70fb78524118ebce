import type { SessionPlan } from '#concord/protocol';
import {
  type PartyNumber,
  type PublishedOutput,
  parseTranscriptEntries,
  type TranscriptEntry,
  TranscriptError,
} from '#concord/transcript';
import { AuditError } from './audit-error.js';

export const EXPORT_FORMAT = 'concord-transcript/1';

/** Who ended a session without a release: the coordinator, or the party whose act ended it. */
export type AbortedBy = 'coordinator' | PartyNumber;

/** The abort as the coordinator serves it (`error` of `GET /reports/:id`, and who ended it). */
export interface ExportedAbort {
  readonly code: string;
  readonly message: string;
  readonly by: AbortedBy;
}

/** What the coordinator serves as the session's release, exactly as `GET /reports/:id` does. */
export interface ExportedRelease {
  readonly outputs: readonly PublishedOutput[];
}

/** A transcript as `GET /sessions/:id/transcript` exports it. */
export interface TranscriptExportFile {
  readonly format: typeof EXPORT_FORMAT;
  readonly sessionId: string;
  readonly state: string;
  readonly protocol: { readonly id: string; readonly version: string; readonly hash: string };
  readonly planHash: string;
  readonly plan: SessionPlan;
  readonly entries: readonly TranscriptEntry[];
  readonly seals: readonly {
    readonly party: number;
    readonly headHash: string;
    readonly signature: string;
  }[];
  /** The published values, intervals and levels; null when nothing is published. */
  readonly release: ExportedRelease | null;
  /** Set for an aborted session: the abort the coordinator reports. */
  readonly abort: ExportedAbort | null;
}

type Json = Readonly<Record<string, unknown>>;

/**
 * Reads an export that arrived as JSON: the fields the verifier relies on, with their types, and
 * every transcript entry against its kind's schema. It checks shape, not truth (that is the
 * verifier's job), and leaves the plan's inner detail to the plan hash. Fields the coordinator
 * adds for information (`agencies`, a seal's `agencyId`) are allowed. Throws an `AuditError`
 * naming the first bad field or entry.
 */
export function parseTranscriptExport(value: unknown): TranscriptExportFile {
  const root = objectAt(value, 'the export');
  if (root.format !== EXPORT_FORMAT) refuse(`format must be ${EXPORT_FORMAT}`);
  stringAt(root, 'sessionId', 'sessionId');
  stringAt(root, 'state', 'state');
  const protocol = objectAt(root.protocol, 'protocol');
  for (const f of ['id', 'version', 'hash']) stringAt(protocol, f, `protocol.${f}`);
  stringAt(root, 'planHash', 'planHash');
  checkPlan(root.plan);
  try {
    parseTranscriptEntries(root.entries);
  } catch (e) {
    if (e instanceof TranscriptError)
      refuse(e.code === 'malformed-transcript' ? 'entries must be a list' : e.message);
    throw e;
  }
  listAt(root.seals, 'seals').forEach((s, i) => {
    const seal = objectAt(s, `seals[${i}]`);
    if (![1, 2, 3].includes(seal.party as number))
      refuse(`seals[${i}].party must be a party number (1, 2 or 3)`);
    stringAt(seal, 'headHash', `seals[${i}].headHash`);
    stringAt(seal, 'signature', `seals[${i}].signature`);
  });
  if (!('release' in root)) refuse('release is missing (null when nothing is published)');
  if (root.release !== null) {
    const release = objectAt(root.release, 'release');
    listAt(release.outputs, 'release.outputs').forEach((o, i) => {
      const output = objectAt(o, `release.outputs[${i}]`);
      for (const f of ['name', 'unit', 'values', 'intervalHalfWidth', 'confidenceLevel'])
        stringAt(output, f, `release.outputs[${i}].${f}`, true);
    });
  }
  if (!('abort' in root)) refuse('abort is missing (null unless the session was aborted)');
  if (root.abort !== null) {
    const abort = objectAt(root.abort, 'abort');
    stringAt(abort, 'code', 'abort.code');
    stringAt(abort, 'message', 'abort.message', true);
    if (abort.by !== 'coordinator' && ![1, 2, 3].includes(abort.by as number))
      refuse('abort.by must be coordinator or a party number (1, 2 or 3)');
  }
  return value as TranscriptExportFile;
}

/** The plan fields read before its hash is checked (everything else is covered by the hash). */
function checkPlan(value: unknown): void {
  const plan = objectAt(value, 'plan');
  const parameters = objectAt(plan.parameters, 'plan.parameters');
  if (!Object.values(parameters).every(isString)) refuse('plan.parameters values must be strings');
  const budget = objectAt(plan.budget, 'plan.budget');
  for (const f of ['mechanism', 'value', 'rho', 'xi']) stringAt(budget, f, `plan.budget.${f}`);
  objectAt(plan.parties, 'plan.parties');
  stringAt(plan, 'field', 'plan.field');
  listAt(plan.axes, 'plan.axes').forEach((a, i) => {
    const axis = objectAt(a, `plan.axes[${i}]`);
    stringAt(axis, 'name', `plan.axes[${i}].name`);
    if ('values' in axis && !listAt(axis.values, `plan.axes[${i}].values`).every(isString))
      refuse(`plan.axes[${i}].values must be a list of strings`);
  });
  listAt(plan.outputs, 'plan.outputs').forEach((o, i) => objectAt(o, `plan.outputs[${i}]`));
}

function refuse(why: string): never {
  throw new AuditError('malformed-export', `malformed export: ${why}`);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function objectAt(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    refuse(`${path} must be ${path === 'the export' ? 'a JSON object' : 'an object'}`);
  return v as Json;
}

function listAt(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) refuse(`${path} must be a list`);
  return v;
}

function stringAt(o: Json, field: string, path: string, emptyAllowed = false): void {
  if (!(field in o)) refuse(`${path} is missing`);
  const v = o[field];
  if (typeof v !== 'string' || (!emptyAllowed && v.length === 0))
    refuse(`${path} must be a ${emptyAllowed ? '' : 'non-empty '}string`);
}
