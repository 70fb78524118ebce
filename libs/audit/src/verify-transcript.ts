import type { Consortium } from '#concord/consortium';
import { type SessionAcceptance, verifyAcceptance } from '#concord/engine';
import { fieldById, jiffPrimeFor } from '#concord/field';
import {
  type Catalogue,
  compileSessionPlan,
  outputErrorBars,
  planHash,
  type SessionPlan,
} from '#concord/protocol';
import { type TranscriptEntry, verifyChain, verifySeal } from '#concord/transcript';

/** A transcript as GET /sessions/:id/transcript exports it. */
export interface TranscriptExportFile {
  readonly format: string;
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
}

export interface AuditCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** The first bad entry, when a check fails on one. */
  readonly seq?: number;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly sessionId: string;
  readonly checks: readonly AuditCheck[];
}

/**
 * Verifies an exported transcript offline, trusting only the auditor's own consortium file and
 * catalogue: the hash chain, the plan (recompiled from the protocol and the recorded request),
 * every acceptance and seal signature against the pinned identity keys, that all noise
 * commitments precede the first data, that all parties reported one result, and the charge.
 * JIFF-mode transcripts (a `jiff.started` entry) are checked for their own shape: signed JIFF
 * keys, commitments before the JIFF computation started, one relay record per direction and no
 * native envelopes; the relay digests themselves are what each party checked before sealing.
 */
export function verifyTranscriptExport(
  file: TranscriptExportFile,
  consortium: Consortium,
  catalogue: Catalogue,
): AuditReport {
  const checks: AuditCheck[] = [];
  const check = (name: string, ok: boolean, detail: string, seq?: number): void => {
    checks.push({ name, ok, detail, ...(ok || seq === undefined ? {} : { seq }) });
  };
  const entries = file.entries ?? [];
  const pinned = new Map<number, Uint8Array>(
    consortium.agencies.map((a) => [a.party, a.identityKey]),
  );

  check('format', file.format === 'concord-transcript/1', `format ${String(file.format)}`);
  const problem = verifyChain(file.sessionId, entries);
  check(
    'hash chain',
    !problem,
    problem
      ? `entry ${problem.seq} ${problem.reason}`
      : `${entries.length} entries chain from the session's genesis`,
    problem?.seq,
  );

  const created = entries[0];
  const entry = catalogue.byProtocolHash(file.protocol?.hash ?? '');
  check(
    'protocol',
    !!entry,
    entry
      ? `${entry.analysis.definition.id}@${entry.analysis.definition.version} is in the auditor's catalogue`
      : 'protocol hash unknown to the auditor',
  );
  let recompiled: string | undefined;
  if (entry && file.plan) {
    try {
      recompiled = planHash(
        compileSessionPlan(entry.analysis, {
          sessionId: file.sessionId,
          parameters: file.plan.parameters,
          axisValues: Object.fromEntries(
            file.plan.axes.flatMap((a) => ('values' in a ? [[a.name, [...a.values]]] : [])),
          ),
          budget: file.plan.budget.value,
          parties: file.plan.parties,
        }),
      );
    } catch (e) {
      recompiled = `error: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  let exportedPlanHash: string | undefined;
  try {
    exportedPlanHash = file.plan ? planHash(file.plan) : undefined;
  } catch {
    exportedPlanHash = undefined;
  }
  const planOk =
    recompiled === file.planHash &&
    exportedPlanHash === file.planHash &&
    created?.kind === 'session.created' &&
    created.body.planHash === file.planHash;
  check(
    'plan',
    planOk,
    planOk
      ? 'the exported plan hashes to the recorded hash, and recompiles to it from the protocol and the request'
      : exportedPlanHash !== file.planHash
        ? 'the exported plan does not hash to the recorded plan hash'
        : 'the plan does not recompile to the recorded hash',
    0,
  );

  const ledger = created?.kind === 'session.created' ? created.body.ledger : undefined;
  check(
    'ledger charge',
    ledger?.rho === file.plan?.budget?.rho && ledger?.xi === file.plan?.budget?.xi,
    `charged (ρ = ${String(ledger?.rho)}, ξ = ${String(ledger?.xi)}) for a plan spending ` +
      `(ρ = ${String(file.plan?.budget?.rho)}, ξ = ${String(file.plan?.budget?.xi)})`,
    0,
  );

  const jiff = entries.some((e) => e.kind === 'jiff.started');
  const accepted = entries.filter((e) => e.kind === 'party.accepted');
  const badAccept = accepted.find((e) => {
    const key = pinned.get(e.body.party);
    const a = {
      sessionId: file.sessionId,
      party: e.body.party,
      planHash: file.planHash,
      sessionKey: e.body.sessionKey,
      ...(e.body.jiffKey === undefined ? {} : { jiffKey: e.body.jiffKey }),
      signature: e.body.signature,
    } as SessionAcceptance;
    // A JIFF-mode party must have signed the JIFF key peers checked; a native one has none.
    return !key || (e.body.jiffKey !== undefined) !== jiff || !verifyAcceptance(key, a);
  });
  check(
    'session keys',
    accepted.length === 3 && !badAccept,
    badAccept
      ? `party ${String(badAccept.body.party)}'s session key is not signed by its pinned key`
      : 'three session keys signed by the pinned identity keys',
    badAccept?.seq,
  );

  const commits = entries.filter((e) => e.kind === 'noise.committed');
  const firstData = jiff
    ? entries.find((e) => e.kind === 'jiff.started')
    : entries.find((e) => e.kind === 'envelope' && e.body.round === 'input');
  const late = commits.find((c) => firstData && c.seq > firstData.seq);
  check(
    'noise before data',
    commits.length === 3 && !late,
    late
      ? `a noise commitment (entry ${late.seq}) follows the first ${jiff ? 'JIFF data' : 'input'}`
      : jiff
        ? 'all three noise commitments precede the start of the JIFF computation'
        : 'all three noise commitments precede the first input envelope',
    late?.seq,
  );
  if (jiff) checkJiffShape(file, entries, planOk, check);

  const results = entries.filter((e) => e.kind === 'party.result');
  const released = entries.find((e) => e.kind === 'session.results');
  const digests = new Set(results.map((r) => r.body.resultDigest));
  check(
    'results',
    results.length === 3 && digests.size === 1 && released?.body.resultDigest === [...digests][0],
    released ? 'all three parties opened the released result' : 'no result was released',
    released?.seq,
  );

  const publishedBars = released?.kind === 'session.results' ? released.body.outputs : [];
  const badBars = planOk
    ? file.plan.outputs.find((o) => {
        const published = publishedBars.find((p) => p.name === o.name);
        return (
          !published || published.intervalHalfWidth !== outputErrorBars(o).halfWidth.toString()
        );
      })
    : undefined;
  check(
    'error bars',
    !!released && planOk && badBars === undefined,
    badBars
      ? `the interval published for ${badBars.name} is not the exact one for its noise`
      : 'every published interval recomputes exactly from the plan’s noise',
    released?.seq,
  );

  // The seals cover the whole transcript: the released results are its last entry.
  const last = entries.at(-1);
  const head = released && last === released ? released.hash : undefined;
  const badSeal = [1, 2, 3].find((p) => {
    const s = file.seals?.find((x) => x.party === p);
    const key = pinned.get(p);
    return (
      !s || !key || s.headHash !== head || !verifySeal(key, file.sessionId, s.headHash, s.signature)
    );
  });
  check(
    'seals',
    !!head && badSeal === undefined,
    !head
      ? 'the transcript does not end with the released results'
      : badSeal
        ? `party ${badSeal}'s seal is missing or invalid`
        : 'the three agencies signed the transcript head',
    head ? undefined : last?.seq,
  );

  return { ok: checks.every((c) => c.ok), sessionId: file.sessionId, checks };
}

/**
 * A JIFF-mode transcript: one start on this session, no native envelopes, and one relay record
 * (message count and set digest) per direction between the three parties, after the start.
 */
function checkJiffShape(
  file: TranscriptExportFile,
  entries: readonly TranscriptEntry[],
  planOk: boolean,
  check: (name: string, ok: boolean, detail: string, seq?: number) => void,
): void {
  const started = entries.filter((e) => e.kind === 'jiff.started');
  const envelope = entries.find((e) => e.kind === 'envelope');
  const relays = entries.filter((e) => e.kind === 'jiff.relay');
  const directions = new Set(relays.map((e) => `${String(e.body.from)}>${String(e.body.to)}`));
  const wellFormed = relays.every(
    (e) =>
      [1, 2, 3].includes(e.body.from as number) &&
      [1, 2, 3].includes(e.body.to as number) &&
      e.body.from !== e.body.to &&
      Number.isSafeInteger(e.body.messages) &&
      typeof e.body.digest === 'string' &&
      /^[0-9a-f]{64}$/.test(e.body.digest) &&
      e.seq > started[0].seq,
  );
  const ok =
    started.length === 1 &&
    started[0].body.computationId === file.sessionId &&
    planOk &&
    started[0].body.prime === expectedPrime(file.plan) &&
    !envelope &&
    relays.length === 6 &&
    directions.size === 6 &&
    wellFormed;
  check(
    'JIFF relay',
    ok,
    ok
      ? 'one JIFF computation for this session, and one relay record per direction (checked by the parties before sealing)'
      : envelope
        ? 'a JIFF-mode session must not relay native envelopes'
        : started.length === 1 && started[0].body.prime !== expectedPrime(file.plan)
          ? 'the JIFF computation did not run modulo the prime the plan’s field implies'
          : 'the JIFF start and relay records are not one per session and per direction',
    envelope?.seq ?? started[1]?.seq ?? started[0]?.seq,
  );
}

/** The prime every party derives from the plan's field (undefined for an unknown field). */
function expectedPrime(plan: SessionPlan | undefined): string | undefined {
  try {
    return plan ? jiffPrimeFor(fieldById(plan.field).modulus).toString() : undefined;
  } catch {
    return undefined;
  }
}
