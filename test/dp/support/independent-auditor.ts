import { cdpDelta, cdpEpsilonSimple, intervalCoverage, noiseTailBound } from '#concord/accounting';
import type { Consortium } from '#concord/consortium';
import { Rational } from '#concord/dp';
import { resultDigest } from '#concord/engine';
import { fieldById, fromBigInts, vectorToBytes } from '#concord/field';
import {
  type Catalogue,
  type Expression,
  outputErrorBars,
  outputNoiseLaw,
  planHash,
  type ProtocolDefinition,
  type SessionPlan,
} from '#concord/protocol';
import { verifyTranscriptExport } from '#concord/audit';
import { releaseDigest, releaseDigestOfLimbs } from '#concord/transcript';
import type { PublishedRelease } from './release-transcript.js';

// An auditor's replay (T24; docs/privacy.md, 'What an auditor can verify'): from the published
// transcripts and values alone, with its own consortium file and catalogue, it re-verifies each
// transcript with the offline verifier (`concord audit verify`) and then recomputes, independently
// of the coordinator: every ledger charge from the protocol's declared caps (exact rationals), the
// bucket totals against the cap, each output's error bar, the share-consistency claim (all three
// parties attest one result digest, and the published values hash to it), and the sealed release
// digest over the values as published.

/** A published value as an integer, refusing any spelling but the canonical one ("07", "-0"). */
function canonicalBigInt(text: string): bigint {
  const value = BigInt(text);
  if (value.toString() !== text) throw new RangeError(`${text} is not a canonical integer`);
  return value;
}

export interface Finding {
  readonly sessionId: string;
  readonly check: string;
  readonly detail: string;
}

/** Δ2² of a contribution cap: ⌊K/m⌋·m² + (K mod m)², written out again here on purpose. */
function capL2Squared(total: bigint, perCell: bigint): bigint {
  return (total / perCell) * perCell * perCell + (total % perCell) ** 2n;
}

/** Δ1 and Δ2² of an output that releases one input as it is (the catalogue's revenue outputs). */
function declaredSensitivity(
  d: ProtocolDefinition,
  e: Expression,
): { l1: bigint; l2Squared: bigint } | undefined {
  if (!('input' in e)) return undefined;
  const c = d.inputs.find((i) => i.name === e.input)?.contribution;
  return c && { l1: BigInt(c.total), l2Squared: capL2Squared(BigInt(c.total), BigInt(c.perCell)) };
}

/**
 * The zCDP charge of one output, recomputed from the declared caps, the request's budget and the
 * plan's share parameter: DDG ρ = Δ2²/(2σ²) with σ² = h·σ_s² (h = 2 honest parties); Pólya
 * ε = Δ1·γ, ρ = ε²/2. Checks that it equals the budget's share, so the noise matches the charge.
 */
function outputCharge(
  d: ProtocolDefinition,
  plan: SessionPlan,
  index: number,
  fail: (check: string, detail: string) => void,
): Rational {
  const out = plan.outputs[index];
  const def = d.outputs[index];
  const share = Rational.parse(plan.budget.value).mul(Rational.parse(def.budgetShare));
  const s =
    declaredSensitivity(d, def.expression) ??
    ({ l1: BigInt(out.sensitivity.l1), l2Squared: BigInt(out.sensitivity.l2Squared) } as const);
  if (
    s.l1.toString() !== out.sensitivity.l1 ||
    s.l2Squared.toString() !== out.sensitivity.l2Squared
  )
    fail('sensitivity', `${out.name}: the plan's sensitivity differs from the declared caps'`);
  if (out.noise.mechanism === 'discrete-gaussian') {
    const rho = Rational.of(s.l2Squared).div(Rational.parse(out.noise.shareSigma2).mul(4n));
    if (!rho.equals(share))
      fail(
        'calibration',
        `${out.name}: noise gives ρ = ${rho.toString()}, budget ${share.toString()}`,
      );
    return rho;
  }
  const epsilon = Rational.of(s.l1).mul(Rational.parse(out.noise.gamma));
  if (!epsilon.equals(share) || out.noise.honestParties !== 2)
    fail(
      'calibration',
      `${out.name}: noise gives ε = ${epsilon.toString()}, budget ${share.toString()}`,
    );
  return epsilon.mul(epsilon).div(2n);
}

export function auditReleases(
  releases: readonly PublishedRelease[],
  consortium: Consortium,
  catalogue: Catalogue,
  cap: Rational,
): { findings: Finding[]; buckets: Map<string, Rational> } {
  const findings: Finding[] = [];
  const buckets = new Map<string, Rational>();
  for (const { file, released } of releases) {
    const fail = (check: string, detail: string): void => {
      findings.push({ sessionId: file.sessionId, check, detail });
    };
    // 1. The offline verifier: chain, plan recompiled, keys, noise before data, results, seals.
    const report = verifyTranscriptExport(file, consortium, catalogue);
    for (const c of report.checks) if (!c.ok) fail(`verify: ${c.name}`, c.detail);
    const entry = catalogue.byProtocolHash(file.protocol.hash);
    if (!entry) continue;
    const d = entry.analysis.definition;
    const plan = file.plan;
    // The exported plan must be the one whose hash the parties signed (the offline verifier
    // recompiles the plan from the request but does not hash the exported copy).
    if (planHash(plan) !== file.planHash)
      fail('plan integrity', 'the exported plan is not the signed one');

    // 2. The ledger charge, recomputed, and the bucket totals against the cap.
    const charge = plan.outputs.reduce(
      (sum, _o, i) => sum.add(outputCharge(d, plan, i, fail)),
      Rational.ZERO,
    );
    const created = file.entries[0]?.body as {
      ledger?: { rho?: string; xi?: string; scope?: string; window?: string };
    };
    if (created?.ledger?.rho === undefined || !Rational.parse(created.ledger.rho).equals(charge))
      fail(
        'ledger charge',
        `recorded ${String(created?.ledger?.rho)}, recomputed ${charge.toString()}`,
      );
    // ξ: the recorded charge must be the plan's, and cover τ·d for every discrete-Gaussian output
    // (h = 2 honest shares: τ = 10·exp(−π²·σ_s²), KLS21), and be positive.
    const xiTotal = plan.outputs.reduce((sum, o) => sum.add(Rational.parse(o.xi)), Rational.ZERO);
    if (created?.ledger?.xi === undefined || !Rational.parse(created.ledger.xi).equals(xiTotal))
      fail('ledger ξ', `recorded ${String(created?.ledger?.xi)}, plan total ${xiTotal.toString()}`);
    for (const o of plan.outputs) {
      if (o.noise.mechanism !== 'discrete-gaussian') continue;
      const s = Rational.parse(o.noise.shareSigma2);
      const tauD = 10 * Math.exp(-Math.PI * Math.PI * (Number(s.floor()) || 1)) * o.length;
      const xi = Rational.parse(o.xi);
      if (xi.sign() <= 0 || Number(xi.ceil()) < Math.floor(tauD))
        fail('ledger ξ', `${o.name}: ξ = ${o.xi} does not cover τ·d ≈ ${tauD}`);
    }
    const bucket = `${created?.ledger?.scope}/${created?.ledger?.window}`;
    buckets.set(bucket, (buckets.get(bucket) ?? Rational.ZERO).add(charge));
    // ε at δ = 1e-9 as the API states it: a valid (tight) conversion, never above the simple one.
    for (const o of plan.outputs) {
      const { epsilon } = outputErrorBars(o);
      if (
        cdpDelta(Rational.parse(o.rho), epsilon) > 1e-9 ||
        epsilon > cdpEpsilonSimple(Rational.parse(o.rho), 1e-9, Rational.parse(o.xi))
      )
        fail('epsilon', `${o.name}: ε = ${epsilon} is not a valid conversion of ρ = ${o.rho}`);
    }

    // 3. Error bars: the recorded half-width is the smallest h with coverage >= 95% of the exact
    // total-noise law, and (DDG) agrees with the Gaussian value 1.96 √(3 σ_s²) to within 2.
    const results = file.entries.find((x) => x.kind === 'session.results')?.body as
      | {
          resultDigest?: string;
          releaseDigest?: string;
          releaseDigestVersion?: 2;
          outputs?: { name: string; cells: number; intervalHalfWidth: string }[];
        }
      | undefined;
    plan.outputs.forEach((o, i) => {
      const recorded = results?.outputs?.[i];
      const h = Number(recorded?.intervalHalfWidth);
      const law = outputNoiseLaw(o);
      const tail = noiseTailBound(law);
      if (!(Number.isSafeInteger(h) && intervalCoverage(law, h) >= 0.95 && tail(h - 1) > 0.05))
        fail(
          'error bar',
          `${o.name}: half-width ${recorded?.intervalHalfWidth} is not the exact 95% one`,
        );
      if (recorded?.cells !== o.length) fail('error bar', `${o.name}: wrong cell count`);
      if (o.noise.mechanism === 'discrete-gaussian') {
        const s = Rational.parse(o.noise.shareSigma2);
        const gaussian = 1.959964 * Math.sqrt((3 * Number(s.numerator)) / Number(s.denominator));
        if (Math.abs(h - gaussian) > 2)
          fail('error bar', `${o.name}: ${h} far from ${gaussian.toFixed(1)}`);
      }
    });

    // 4. Share consistency: one digest attested by all three, and the published values hash to it.
    const attested = file.entries
      .filter((x) => x.kind === 'party.result')
      .map((x) => x.body.resultDigest);
    if (attested.length !== 3 || attested.some((x) => x !== results?.resultDigest))
      fail('share consistency', 'the three parties did not attest the released digest');
    try {
      const field = fieldById(plan.field);
      const digest = resultDigest(
        file.sessionId,
        released.map((o) => ({ name: o.name, vector: fromBigInts(field, o.values.map(BigInt)) })),
      );
      if (digest !== results?.resultDigest)
        fail('share consistency', 'the published values do not hash to the sealed digest');
    } catch (e) {
      fail('share consistency', `published values do not decode: ${String(e)}`);
    }

    // 5. The release the agencies sealed covers exactly what the analyst reads: the digest over
    // the published values (version 2: as limbs of the plan's field, re-encoded here from the
    // values; version 1: as canonical decimal text), each output's unit, its recorded (and above
    // re-derived) interval and the 95% level, rebuilt here from the plan and the values.
    const published = plan.outputs.map((o, i) => ({
      name: o.name,
      unit: o.unit,
      cells: o.length,
      values: released.find((r) => r.name === o.name)?.values ?? [],
      intervalHalfWidth: results?.outputs?.[i]?.intervalHalfWidth ?? '',
      confidenceLevel: '0.95',
    }));
    let sealed: string;
    try {
      sealed =
        results?.releaseDigestVersion === 2
          ? releaseDigestOfLimbs(
              file.sessionId,
              plan.field,
              published,
              published.map((o) =>
                vectorToBytes(fromBigInts(fieldById(plan.field), o.values.map(canonicalBigInt))),
              ),
            )
          : releaseDigest(
              file.sessionId,
              published.map((o) => ({ ...o, values: o.values.join(',') })),
            );
    } catch (e) {
      sealed = `published values do not decode: ${String(e)}`;
    }
    if (sealed !== results?.releaseDigest)
      fail('release digest', 'the published values do not hash to the sealed release digest');
  }
  for (const [bucket, total] of buckets)
    if (total.gt(cap))
      findings.push({
        sessionId: '*',
        check: 'bucket cap',
        detail: `${bucket} spent ${total.toString()} > ${cap.toString()}`,
      });
  return { findings, buckets };
}
