import 'reflect-metadata';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRANSCRIPT_KINDS } from '#concord/transcript';
import { ABORT_CODES } from '#concord/wire';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
interface Verdict {
  state: string;
  label: string;
  title: string;
  lines: string[];
  failed: Check[];
}
interface Privacy {
  abortExplanation(code: string): string;
  entryKindLabel(kind: string): string;
}
interface Verification {
  verdictOf(v: unknown): Verdict;
}

/** The dashboard's plain-JS wording modules, loaded as the browser loads them (ES modules). */
async function dashboardModule<T>(name: string): Promise<T> {
  const path = join(repoRoot(), 'apps/coordinator/dashboard/js', name);
  return (await import(pathToFileURL(path).href)) as T;
}

describe('the dashboard’s wording', () => {
  let privacy: Privacy;
  let verification: Verification;

  beforeAll(async () => {
    privacy = await dashboardModule<Privacy>('privacy.js');
    verification = await dashboardModule<Verification>('verification.js');
  });

  it('explains every abort code the coordinator uses, each in its own words', () => {
    const fallback = privacy.abortExplanation('no-such-code');
    const explained = ABORT_CODES.map((c) => privacy.abortExplanation(c));
    expect(explained.filter((e) => e === fallback)).toEqual([]);
    expect(new Set(explained).size).toBe(ABORT_CODES.length);
  });

  it('labels every transcript entry kind', () => {
    for (const kind of TRANSCRIPT_KINDS) expect(privacy.entryKindLabel(kind)).not.toBe(kind);
  });

  const checks = (failing: string[]): Check[] =>
    ['hash chain', 'release', 'seals'].map((name) => ({
      name,
      ok: !failing.includes(name),
      detail: failing.includes(name) ? `${name} failed` : `${name} holds`,
    }));

  it('calls a session verified only when its verification is ok', () => {
    const ok = verification.verdictOf({ ok: true, outcome: 'completed', checks: checks([]) });
    expect([ok.state, ok.label, ok.title]).toEqual([
      'verified',
      'Verified',
      'Verified: all 3 checks passed.',
    ]);
    const bad = verification.verdictOf({
      ok: false,
      outcome: 'completed',
      checks: checks(['release']),
    });
    expect([bad.state, bad.label, bad.title]).toEqual([
      'failed',
      'Not verified',
      'Not verified: 1 of 3 checks failed.',
    ]);
    expect(bad.lines[0]).toMatch(
      /^The published values differ from what the three agencies sealed/,
    );
    expect(bad.failed.map((c) => c.detail)).toEqual(['release failed']);
  });

  it('says who aborted a session and why when it verifies as aborted', () => {
    const v = verification.verdictOf({
      ok: true,
      outcome: 'aborted',
      abort: { by: 2, code: 'declined', message: 'party 2 declined (no-budget)' },
      partyAborts: [],
      refund: { rho: '1/2', xi: '0' },
      checks: checks([]),
    });
    expect([v.state, v.label]).toEqual(['aborted', 'Verified as aborted']);
    expect(v.lines[0]).toBe('Aborted by party 2 (declined): party 2 declined (no-budget).');
    expect(v.lines).toContain(
      'The privacy budget charged for it was refunded (ρ = 1/2): its data phase never began.',
    );
  });
});
