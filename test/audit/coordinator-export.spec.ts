import { beforeAll, describe, expect, it } from 'vitest';
import { verifyTranscriptExport } from '#concord/audit';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import type { ReleasedOutput, Session } from '../../apps/coordinator/src/sessions/session.js';
import { storedValues } from '../../apps/coordinator/src/sessions/download/stored-values.js';
import {
  buildTranscriptExport,
  type TranscriptExport,
} from '../../apps/coordinator/src/sessions/transcript-export.js';
import { PARTY_OF_ROLE, testConsortium, testIdentities } from '../dp/support/parties.js';
import { type PublishedRelease, recordRelease } from '../dp/support/release-transcript.js';

/**
 * The coordinator's export is built from what its database holds, so a value changed there after
 * the session no longer matches what the agencies sealed: `/verification` (this verifier over
 * this export) and `concord audit verify` both fail on it, naming the release.
 */
describe('the coordinator’s export of a stored release', { timeout: 60_000 }, () => {
  const identities = testIdentities('coordinator-export');
  const consortium = testConsortium(identities);
  const catalogue = readCatalogueDirectory('protocols');
  let recorded: PublishedRelease;
  let session: Session;
  let stored: ReleasedOutput[];

  beforeAll(() => {
    const entry = catalogue.find('revenue-per-boarding')!;
    const plan = compileSessionPlan(entry.analysis, {
      sessionId: '00000000-0000-4000-8000-0000000c0de1',
      parameters: { serviceDate: '2026-03-11' },
      axisValues: { route: ['R1', 'R2', 'R3'] },
      budget: '1/4',
      parties: PARTY_OF_ROLE,
    });
    const cells = plan.outputs[0].length;
    recorded = recordRelease({
      plan,
      identities,
      inputs: [
        new Map([['boardings', Array.from({ length: cells }, (_, i) => i % 17)]]),
        new Map([['revenue', Array.from({ length: cells }, (_, i) => 100 * (i % 13))]]),
        new Map(),
      ],
      seed: 'coordinator-export',
      requestId: 'coordinator-export-request',
      analyst: 'alice',
      at: new Date(Date.UTC(2026, 2, 11, 9)),
    });
    session = {
      id: plan.sessionId,
      protocol: { ...plan.protocol, title: entry.analysis.definition.title },
      state: 'completed',
      parameters: plan.parameters,
      plan,
      planHash: recorded.file.planHash,
      budgetRho: plan.budget.rho,
      requestId: 'coordinator-export-request',
      requestedBy: 'alice',
      error: null,
      transcriptHead: recorded.file.entries.at(-1)!.hash,
      createdAt: new Date(0),
      admittedAt: new Date(0),
      completedAt: new Date(1),
    };
    // The rows as the coordinator stored them (in no particular order).
    stored = recorded.file
      .release!.outputs.map((o) => ({
        name: o.name,
        unit: o.unit,
        values: o.values.split(','),
        intervalHalfWidth: BigInt(o.intervalHalfWidth),
        confidenceLevel: o.confidenceLevel,
        noise: {},
      }))
      .reverse();
  });

  function exported(
    rows: readonly ReleasedOutput[],
    over: Partial<Session> = {},
  ): TranscriptExport {
    return buildTranscriptExport({
      session: { ...session, ...over },
      entries: recorded.file.entries,
      seals: recorded.file.seals.map((s) => ({ ...s, agencyId: `agency-${s.party}` })),
      stored: rows.map((o) => ({ ...o, values: storedValues(o.values.join(',')) })),
      agencies: consortium.agencies,
    });
  }

  function failedChecks(file: unknown): string[] {
    return verifyTranscriptExport(file, consortium, catalogue)
      .checks.filter((c) => !c.ok)
      .map((c) => c.name);
  }

  it('verifies, in plan order, with exactly the values the report serves', () => {
    const file = exported(stored);
    expect(file.release!.outputs.map((o) => o.name)).toEqual(['boardings', 'revenue']);
    expect(file.release!.outputs[1].values).toBe(stored[0].values.join(','));
    expect([file.abort, file.agencies.map((a) => a.party)]).toEqual([null, [1, 2, 3]]);
    // As served over HTTP: JSON, and still verified.
    expect(failedChecks(JSON.parse(JSON.stringify(file)))).toEqual([]);
  });

  it('fails naming the release once a stored value is changed', () => {
    const rows = stored.map((o) =>
      o.name === 'revenue'
        ? { ...o, values: [String(Number(o.values[0]) - 1), ...o.values.slice(1)] }
        : o,
    );
    expect(failedChecks(exported(rows))).toEqual(['release']);
  });

  it('fails once a stored interval is changed', () => {
    const rows = stored.map((o) =>
      o.name === 'boardings' ? { ...o, intervalHalfWidth: o.intervalHalfWidth + 1n } : o,
    );
    expect(failedChecks(exported(rows))).toEqual(['release', 'error bars']);
  });

  it('fails once a stored output is deleted', () => {
    expect(failedChecks(exported(stored.slice(1)))).toEqual(['release']);
  });

  it('publishes nothing and reports the abort for an aborted session', () => {
    const file = exported(stored, {
      state: 'aborted',
      error: { code: 'timeout', message: 'the session timed out' },
    });
    expect(file.release).toBeNull();
    expect(file.abort).toEqual({
      code: 'timeout',
      message: 'the session timed out',
      by: 'coordinator',
    });
  });
});
