import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import { publishedVector } from '#concord/engine';
import { fieldById, vectorToBytes } from '#concord/field';
import {
  entriesOf,
  type PublishedOutput,
  releaseDigest,
  releaseDigestOfLimbs,
  type TranscriptEntry,
  verifySeal,
} from '#concord/transcript';
import type { CheckList } from './audit-report.js';
import type { TranscriptExportFile } from './transcript-export.js';

/**
 * A completed session: all three parties reported one result and the release names it; what the
 * export says is published re-hashes to the release digest the agencies sealed; every published
 * interval and level is the exact one for the plan's noise; and the three seals sign the head,
 * which is the release. `plan` is undefined when the plan could not be verified.
 */
export function checkRelease(
  file: TranscriptExportFile,
  released: TranscriptEntry<'session.results'>,
  plan: SessionPlan | undefined,
  pinned: ReadonlyMap<number, Uint8Array>,
  checks: CheckList,
): void {
  const results = entriesOf(file.entries, 'party.result');
  const parties = new Set(results.map((r) => r.body.party));
  const digests = new Set(results.map((r) => r.body.resultDigest));
  checks.add(
    'results',
    results.length !== 3 || parties.size !== 3
      ? `${parties.size} of the three parties reported a result`
      : digests.size !== 1
        ? 'the parties reported different results'
        : released.body.resultDigest !== results[0].body.resultDigest
          ? 'the release names another result than the one the parties opened'
          : undefined,
    'all three parties opened the released result',
    released.seq,
  );

  checks.add(
    'release',
    releaseProblem(file, released, plan),
    'the published values, units, intervals and confidence levels hash to the release digest the three agencies sealed',
    released.seq,
  );

  checks.add(
    'error bars',
    plan
      ? errorBarProblem(file, released, plan)
      : 'the plan is not verified, so the published intervals cannot be checked',
    'every published interval and confidence level is the exact one for the plan’s noise',
    released.seq,
  );

  const badSeal = [1, 2, 3].find((p) => {
    const s = file.seals.find((x) => x.party === p);
    const key = pinned.get(p);
    return (
      !s ||
      !key ||
      s.headHash !== released.hash ||
      !verifySeal(key, file.sessionId, s.headHash, s.signature)
    );
  });
  checks.add(
    'seals',
    badSeal === undefined
      ? undefined
      : file.seals.some((s) => s.party === badSeal)
        ? `party ${badSeal}'s seal is not its signature over the release`
        : `party ${badSeal} has not sealed the transcript`,
    'the three agencies signed the transcript head, which is the release',
  );
}

/** Why the exported release is not the sealed one, or undefined when it is. */
function releaseProblem(
  file: TranscriptExportFile,
  released: TranscriptEntry<'session.results'>,
  plan: SessionPlan | undefined,
): string | undefined {
  const outputs = file.release?.outputs;
  if (!outputs) return 'the export carries no published values to check against the sealed release';
  const names = outputs.map((o) => shown(o.name)).join(', ');
  const sealedNames = released.body.outputs.map((o) => o.name).join(', ');
  if (names !== sealedNames)
    return `the published outputs (${names || 'none'}) are not the released ones (${sealedNames})`;
  if (plan) {
    const planned = plan.outputs.map((o) => o.name).join(', ');
    if (names !== planned)
      return `the published outputs (${names || 'none'}) are not the plan’s (${planned})`;
    const short = outputs.find((o, i) => cellCount(o.values) !== plan.outputs[i].length);
    if (short)
      return `the published values of ${shown(short.name)} are not one per cell of its ${plan.outputs[outputs.indexOf(short)].length}-cell grid`;
  }
  if (released.body.releaseDigestVersion === 2) {
    if (!plan)
      return 'the plan is not verified, so the published values cannot be read as the field limbs the release digest covers';
    const unreadable = versionTwoProblem(
      file.sessionId,
      outputs,
      plan,
      released.body.releaseDigest,
    );
    if (unreadable !== undefined) return unreadable;
  } else if (releaseDigest(file.sessionId, outputs) !== released.body.releaseDigest) {
    return NOT_SEALED;
  }
  return undefined;
}

const NOT_SEALED =
  'the published values, units, intervals or confidence levels are not the ones the three agencies sealed: they do not hash to the sealed release digest';

/**
 * A version 2 release digest covers the values' canonical limbs in the plan's field: each
 * published text is parsed strictly back into them (one canonical spelling per vector, so text
 * spelled otherwise is refused, never silently re-read) and the whole release re-hashed.
 */
function versionTwoProblem(
  sessionId: string,
  outputs: readonly PublishedOutput[],
  plan: SessionPlan,
  sealed: string,
): string | undefined {
  const field = fieldById(plan.field);
  const limbs: Uint8Array[] = [];
  for (const [i, o] of outputs.entries()) {
    const vector = publishedVector(field, o.values, plan.outputs[i].length);
    if (!vector)
      return `the published values of ${shown(o.name)} are not canonical decimal integers within the plan’s field`;
    limbs.push(vectorToBytes(vector));
  }
  const headers = outputs.map((o, i) => ({ ...o, cells: plan.outputs[i].length }));
  return releaseDigestOfLimbs(sessionId, plan.field, headers, limbs) === sealed
    ? undefined
    : NOT_SEALED;
}

/** Why a published or sealed interval is not the plan's, or undefined when none is. */
function errorBarProblem(
  file: TranscriptExportFile,
  released: TranscriptEntry<'session.results'>,
  plan: SessionPlan,
): string | undefined {
  for (const [i, o] of plan.outputs.entries()) {
    const bars = outputErrorBars(o);
    const exact = bars.halfWidth.toString();
    const sealed = released.body.outputs[i];
    if (sealed?.name !== o.name || sealed.cells !== o.length)
      return `the release does not list the plan’s output ${o.name} with its ${o.length} cells`;
    if (sealed.intervalHalfWidth !== exact)
      return `the interval released for ${o.name} (±${sealed.intervalHalfWidth}) is not the exact one for its noise (±${exact})`;
    const published = file.release?.outputs[i];
    if (published && published.name === o.name) {
      if (published.intervalHalfWidth !== exact)
        return `the interval published for ${o.name} (±${shown(published.intervalHalfWidth)}) is not the exact one for its noise (±${exact})`;
      if (published.confidenceLevel !== bars.confidenceLevel)
        return `the confidence level published for ${o.name} (${shown(published.confidenceLevel)}) is not the plan’s (${bars.confidenceLevel})`;
    }
  }
  return undefined;
}

/** Cells in a comma-separated value text (counted without splitting a million-cell release). */
function cellCount(values: string): number {
  if (values.length === 0) return 0;
  let n = 1;
  for (let i = values.indexOf(','); i !== -1; i = values.indexOf(',', i + 1)) n++;
  return n;
}

/** An exported string as a message may quote it: short, or cut. */
function shown(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}…`;
}
