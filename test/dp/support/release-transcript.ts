import { bufferedRandom, type IdentitySigner, seededRandom } from '#concord/crypto';
import { type NoiseSpec, Rational, sampleNoiseVector } from '#concord/dp';
import {
  type InProcessParty,
  outputDecimals,
  outputValues,
  publishedOutputs,
  releaseDigestOf,
  runSessionInProcess,
  sealTranscript,
} from '#concord/engine';
import { outputErrorBars, planHash, type PlanOutput, type SessionPlan } from '#concord/protocol';
import {
  appendEntry,
  type EnvelopeBody,
  type PartyNumber,
  type TranscriptEntry,
  type TranscriptEntryKind,
} from '#concord/transcript';
import type { TranscriptExportFile } from '#concord/audit';

/** What each party samples for one output (the plan's exact share parameters). */
export function noiseSpecOf(output: PlanOutput): NoiseSpec {
  const n = output.noise;
  return n.mechanism === 'discrete-gaussian'
    ? { mechanism: n.mechanism, shareSigma2: Rational.parse(n.shareSigma2) }
    : { mechanism: n.mechanism, gamma: Rational.parse(n.gamma), honestParties: n.honestParties };
}

/** One party's noise for a plan, sampled exactly from a seeded stream. */
export function partyNoise(plan: SessionPlan, seed: string): bigint[][] {
  const rng = bufferedRandom(seededRandom(seed));
  return plan.outputs.map((o) => sampleNoiseVector(rng, noiseSpecOf(o), o.length));
}

/** A completed release as the coordinator publishes it: the transcript export and the values. */
export interface PublishedRelease {
  readonly file: TranscriptExportFile;
  /** The noisy values the report API shows, as decimal strings. */
  readonly released: readonly { readonly name: string; readonly values: readonly string[] }[];
}

const AGENCY_IDS = ['metro-transit', 'farepay', 'city-planning'];

/**
 * Runs one session among three in-process parties and records its transcript the way the
 * coordinator's orchestrator does (created with the ledger charge, three acceptances, three noise
 * commitments, every relayed envelope, three result digests, the release with its error bars),
 * then has each party check that transcript against its own view and seal it.
 */
export function recordRelease(options: {
  readonly plan: SessionPlan;
  readonly identities: readonly IdentitySigner[];
  /** Inputs by party (index 0 is party 1). */
  readonly inputs: readonly ReadonlyMap<string, ArrayLike<number>>[];
  readonly seed: string;
  readonly requestId: string;
  readonly analyst: string;
  readonly at: Date;
}): PublishedRelease {
  const { plan, identities, seed } = options;
  const relayed: EnvelopeBody[] = [];
  const parties = ([1, 2, 3] as const).map((p): InProcessParty => ({
    identity: identities[p - 1],
    inputs: options.inputs[p - 1],
    noise: partyNoise(plan, `${seed}/noise/${p}`),
    rng: seededRandom(`${seed}/party/${p}`),
  })) as [InProcessParty, InProcessParty, InProcessParty];
  const run = runSessionInProcess(plan, parties, {
    relay: (e) => {
      relayed.push({
        round: e.header.round,
        from: e.header.from as PartyNumber,
        to: e.header.to as PartyNumber,
        chunk: e.header.chunk,
        chunks: e.header.chunks,
        bytes: e.bytes.byteLength,
        digest: e.digest,
      });
      return e.bytes;
    },
  });
  if (run.errors.size > 0 || run.results.length !== 3)
    throw new Error(`release ${options.requestId} did not complete`);

  const hash = planHash(plan);
  const entries: TranscriptEntry[] = [];
  const append = (kind: TranscriptEntryKind, body: Record<string, unknown>): void => {
    entries.push(appendEntry(plan.sessionId, entries.at(-1), kind, body as never, options.at));
  };
  append('session.created', {
    protocol: plan.protocol,
    planHash: hash,
    parameters: plan.parameters,
    budget: plan.budget,
    requestId: options.requestId,
    requestedBy: options.analyst,
    ledger: {
      scope: plan.privacyUnit.scope,
      window: plan.privacyUnit.window,
      rho: plan.budget.rho,
      xi: plan.budget.xi,
    },
  });
  for (const s of run.sessions) {
    const a = s.acceptedBy.get(s.self)!;
    append('party.accepted', {
      party: s.self,
      agency: AGENCY_IDS[s.self - 1],
      sessionKey: a.sessionKey,
      signature: a.signature,
    });
  }
  for (const s of run.sessions)
    append('noise.committed', { party: s.self, commitments: s.commitment!.commitments });
  for (const body of relayed) append('envelope', { ...body });
  for (const s of run.sessions)
    append('party.result', { party: s.self, resultDigest: s.result!.digest });
  const result = run.results[0];
  append('session.results', {
    resultDigest: result.digest,
    releaseDigest: releaseDigestOf(plan, result, 2),
    releaseDigestVersion: 2,
    outputs: plan.outputs.map((o) => ({
      name: o.name,
      cells: o.length,
      intervalHalfWidth: outputErrorBars(o).halfWidth.toString(),
    })),
  });
  const seals = run.sessions.map((s, i) => ({
    party: s.self,
    ...sealTranscript(s, entries, identities[i]),
  }));
  return {
    file: {
      format: 'concord-transcript/1',
      sessionId: plan.sessionId,
      state: 'completed',
      protocol: plan.protocol,
      planHash: hash,
      plan,
      entries,
      seals,
      release: { outputs: publishedOutputs(plan, result.outputs.map(outputDecimals)) },
      abort: null,
    },
    released: result.outputs.map((o) => ({
      name: o.name,
      values: outputValues(o).map(String),
    })),
  };
}
