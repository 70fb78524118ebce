import { beforeAll, describe, expect, it } from 'vitest';
import { randomBelow, seededRandom } from '#concord/crypto';
import { Rational } from '#concord/dp';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { appendEntry, type TranscriptEntry } from '#concord/transcript';
import { auditReleases } from './support/independent-auditor.js';
import { PARTY_OF_ROLE, testConsortium, testIdentities } from './support/parties.js';
import { type PublishedRelease, recordRelease } from './support/release-transcript.js';

// T24 auditor replay (docs/privacy.md): an independent verifier recomputes every ledger
// charge, error bar and share-consistency claim from the transcripts of a run of releases
// (0 mismatches), and a tampered entry is detected. The releases are revenue-per-boarding
// sessions among three in-process parties with real (seeded) noise, recorded as the coordinator
// records them and sealed by the parties after checking them against their own views.
//
// CI: 12 releases. Full suite: 100.

const FULL = process.env.CONCORD_STATISTICAL_SUITE === 'full';
const RELEASES = FULL ? 100 : 12;
const CAP = Rational.of(4);
const catalogue = readCatalogueDirectory('protocols');
const identities = testIdentities('t24');
const consortium = testConsortium(identities);

function releases(count: number): PublishedRelease[] {
  const rng = seededRandom('t24/requests');
  const entry = catalogue.find('revenue-per-boarding')!;
  const pick = <T>(items: readonly T[]): T => items[Number(randomBelow(rng, BigInt(items.length)))];
  return Array.from({ length: count }, (_, k) => {
    const sessionId = `00000000-0000-4000-8000-${String(24_000 + k).padStart(12, '0')}`;
    const plan = compileSessionPlan(entry.analysis, {
      sessionId,
      parameters: { serviceDate: pick(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12']) },
      axisValues: { route: ['R1', 'R2'] },
      budget: pick(['1/100', '1/50', '1/20', '1/10']),
      parties: PARTY_OF_ROLE,
    });
    const cells = plan.outputs[0].length;
    const values = (max: number) =>
      Array.from({ length: cells }, () => Number(randomBelow(rng, BigInt(max + 1))));
    return recordRelease({
      plan,
      identities,
      inputs: [
        new Map([['boardings', values(400)]]),
        new Map([['revenue', values(200_000)]]),
        new Map(),
      ],
      seed: `t24/release/${k}`,
      requestId: `t24-request-${k}`,
      analyst: pick(['alice', 'bob']),
      at: new Date(Date.UTC(2026, 2, 10, 8, 0, k)),
    });
  });
}

/** The same entries with one edited and every later hash recomputed (a forger's best effort). */
function rechained(entries: readonly TranscriptEntry[], sessionId: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const e of entries)
    out.push(appendEntry(sessionId, out.at(-1), e.kind, { ...e.body }, new Date(e.at)));
  return out;
}

describe('T24 auditor replay', { timeout: 60_000 }, () => {
  let run: PublishedRelease[];

  beforeAll(
    () => {
      run = releases(RELEASES);
    },
    FULL ? 3_600_000 : 120_000,
  );

  it(`recomputes every charge, error bar and share-consistency claim of ${RELEASES} releases: 0 mismatches`, () => {
    const { findings, buckets } = auditReleases(run, consortium, catalogue, CAP);
    expect(findings).toEqual([]);
    const total = [...buckets.values()].reduce((s, r) => s.add(r), Rational.ZERO);
    const charged = run.reduce(
      (s, r) => s.add(Rational.parse(r.file.plan.budget.rho)),
      Rational.ZERO,
    );
    expect(total.equals(charged)).toBe(true);
    expect(buckets.size).toBeGreaterThan(1);
  });

  describe('a tampered entry is detected', () => {
    const audit = (edited: PublishedRelease) =>
      auditReleases([edited], consortium, catalogue, CAP).findings.map((f) => f.check);

    it('a lowered ledger charge (hashes recomputed)', () => {
      const r = run[0];
      const entries = r.file.entries.map((e) =>
        e.kind === 'session.created'
          ? { ...e, body: { ...e.body, ledger: { ...e.body.ledger, rho: '1/1000' } } }
          : e,
      ) as TranscriptEntry[];
      const checks = audit({
        ...r,
        file: { ...r.file, entries: rechained(entries, r.file.sessionId) },
      });
      expect(checks).toContain('ledger charge');
      expect(checks).toContain('verify: seals');
    });

    it('a narrowed error bar (hashes recomputed)', () => {
      const r = run[1];
      const entries = r.file.entries.map((e) =>
        e.kind === 'session.results'
          ? {
              ...e,
              body: {
                ...e.body,
                outputs: e.body.outputs.map((o) => ({
                  ...o,
                  intervalHalfWidth: String(Math.floor(Number(o.intervalHalfWidth) / 2)),
                })),
              },
            }
          : e,
      ) as TranscriptEntry[];
      const checks = audit({
        ...r,
        file: { ...r.file, entries: rechained(entries, r.file.sessionId) },
      });
      expect(checks).toContain('error bar');
      expect(checks).toContain('verify: seals');
    });

    it('a published value that is not the opened one', () => {
      const r = run[2];
      const released = r.released.map((o, i) =>
        i === 0 ? { ...o, values: [String(BigInt(o.values[0]) + 1n), ...o.values.slice(1)] } : o,
      );
      expect(audit({ ...r, released })).toEqual(['share consistency', 'release digest']);
    });

    it('a value altered in the exported release (what the coordinator serves)', () => {
      const r = run[5];
      const release = r.file.release!;
      const outputs = release.outputs.map((o, i) => {
        if (i !== 1) return o;
        const [first, ...rest] = o.values.split(',');
        return { ...o, values: [String(BigInt(first) + 1n), ...rest].join(',') };
      });
      const checks = audit({ ...r, file: { ...r.file, release: { outputs } } });
      expect(checks).toEqual(['verify: release']);
    });

    it('a narrowed interval in the exported release', () => {
      const r = run[6];
      const outputs = r.file.release!.outputs.map((o) => ({
        ...o,
        intervalHalfWidth: String(BigInt(o.intervalHalfWidth) / 2n),
      }));
      const checks = audit({ ...r, file: { ...r.file, release: { outputs } } });
      expect(checks).toEqual(['verify: release', 'verify: error bars']);
    });

    it('an edited envelope digest (chain left as it was)', () => {
      const r = run[3];
      const entries = r.file.entries.map((e) =>
        e.kind === 'envelope' && e.body.round === 'open'
          ? { ...e, body: { ...e.body, digest: '0'.repeat(64) } }
          : e,
      );
      expect(audit({ ...r, file: { ...r.file, entries } })).toContain('verify: hash chain');
    });

    it('a plan whose noise does not match its charge', () => {
      const r = run[4];
      const plan = {
        ...r.file.plan,
        outputs: r.file.plan.outputs.map((o) =>
          o.noise.mechanism === 'discrete-gaussian'
            ? {
                ...o,
                noise: {
                  ...o.noise,
                  shareSigma2: Rational.parse(o.noise.shareSigma2).div(4n).toString(),
                },
              }
            : o,
        ),
      };
      const checks = audit({ ...r, file: { ...r.file, plan } });
      expect(checks).toContain('calibration');
      expect(checks).toContain('plan integrity');
    });

    it('a bucket charged past its cap across releases', () => {
      const heavy = Array.from({ length: 5 }, () => run[0]);
      const spent = heavy.reduce(
        (s, r) => s.add(Rational.parse(r.file.plan.budget.rho)),
        Rational.ZERO,
      );
      const cap = spent.sub(Rational.of(1, 1_000_000));
      const checks = auditReleases(heavy, consortium, catalogue, cap).findings.map((f) => f.check);
      expect(checks).toContain('bucket cap');
    });
  });
});
