import { expect } from 'vitest';
import type { AuditReport } from '#concord/audit';
import { Rational } from '#concord/dp';
import type { TranscriptEntry } from '#concord/transcript';
import { loadNodeConfig } from '../../apps/agency-node/src/config/node-config.js';
import { ledgerStoreFor } from '../../apps/agency-node/src/node/ledger-store.js';
import { NodeLedger } from '../../apps/agency-node/src/node/node-ledger.js';
import type { FaultConsortium } from './fault-consortium.js';
import type { Report } from './revenue-report.js';

/** A session as every surface shows it: the report, its transcript export and its verification. */
export interface SessionView {
  readonly report: Report;
  readonly entries: readonly TranscriptEntry[];
  readonly verification: AuditReport;
}

export async function viewSession(
  run: Pick<FaultConsortium, 'client'>,
  id: string,
): Promise<SessionView> {
  const report = await run.client.request<Report>('GET', `/reports/${id}`);
  const transcript = await run.client.request<{ entries: TranscriptEntry[] }>(
    'GET',
    `/sessions/${id}/transcript`,
  );
  const verification = await run.client.request<AuditReport>('GET', `/sessions/${id}/verification`);
  return {
    report: report.body,
    entries: transcript.body.entries,
    verification: verification.body,
  };
}

/**
 * A completed session released once and sealed by all three: the verifier recomputes the release
 * digest from the values served and finds the three seals over it, every envelope slot is in the
 * transcript once (a resend after a resume is relayed, never recorded twice), and nothing was
 * refunded.
 */
export function expectCompletedOnce(view: SessionView, where: string): void {
  expect(view.report.state, `${where}: ${JSON.stringify(view.report.error)}`).toBe('completed');
  expect(
    view.verification.checks.filter((c) => !c.ok),
    where,
  ).toEqual([]);
  expect(view.verification.ok, where).toBe(true);
  const slots = view.entries.flatMap((e) =>
    e.kind === 'envelope' ? [`${e.body.round}|${e.body.from}|${e.body.to}|${e.body.chunk}`] : [],
  );
  expect(slots.length, where).toBeGreaterThan(0);
  expect(new Set(slots).size, where).toBe(slots.length);
  expect(
    view.entries.filter((e) => e.kind === 'session.results'),
    where,
  ).toHaveLength(1);
  expect(
    view.entries.some((e) => e.kind === 'ledger.refunded'),
    where,
  ).toBe(false);
}

/** Party `i`'s (0..2) own ledger, read from its file. */
export function nodeLedger(run: Pick<FaultConsortium, 'setup'>, i: number): NodeLedger {
  const config = loadNodeConfig(run.setup.consortium.agencies[i].configFile);
  return new NodeLedger(ledgerStoreFor(config), Rational.parse(config.ledger!.capRho));
}

/**
 * Every ledger agrees on the session: the coordinator refunded it exactly when its transcript says
 * the data phase never began, and each agency's own ledger either never charged it or settled it
 * the same way (refunded, or kept as spent). Waits (bounded) for nodes that settle on their next
 * message or login.
 */
export async function expectLedgersAgree(
  run: Pick<FaultConsortium, 'setup'>,
  view: SessionView,
  where: string,
): Promise<void> {
  const refunded = view.entries.some((e) => e.kind === 'ledger.refunded');
  const aborted = view.entries.find((e) => e.kind === 'session.aborted');
  if (aborted?.kind === 'session.aborted')
    expect(refunded, where).toBe(!aborted.body.dataPhaseStarted);
  const expected = refunded ? ['none', 'refunded'] : ['kept'];
  for (let i = 0; i < 3; i++) {
    let status = nodeLedger(run, i).session(view.report.id)?.status ?? 'none';
    for (let t = 0; t < 100 && status === 'charged'; t++) {
      await new Promise((r) => setTimeout(r, 100));
      status = nodeLedger(run, i).session(view.report.id)?.status ?? 'none';
    }
    expect(expected, `${where}: party ${i + 1}'s ledger holds ${status}`).toContain(status);
  }
}
