import type { Consortium } from '#concord/consortium';
import type { Catalogue } from '#concord/protocol';
import { entriesOf, type TranscriptEntry, verifyChain } from '#concord/transcript';
import { AuditError } from './audit-error.js';
import {
  type AuditOutcome,
  type AuditReport,
  CheckList,
  unreadableReport,
} from './audit-report.js';
import { checkAbort } from './check-abort.js';
import { checkIdentityKeys } from './check-identity-keys.js';
import { checkJiffShape } from './check-jiff.js';
import { checkJoin } from './check-join.js';
import { checkParties } from './check-parties.js';
import { checkPlan } from './check-plan.js';
import { checkRelease } from './check-release.js';
import { EXPORT_FORMAT, parseTranscriptExport } from './transcript-export.js';

/**
 * Verifies an exported transcript offline, trusting only the auditor's own consortium file and
 * catalogue. Any session: the export's shape, the hash chain, the plan (recompiled from the
 * protocol and the recorded request), the charge, the identity keys (each party's named key epoch
 * in force when it accepted), the acceptances and noise commitments present (signed by those
 * keys, in order, all before the first data), the JIFF records, a join plan's private-join steps
 * (`check-join.ts`). Then by how
 * the transcript ends:
 *
 * - completed (ends with the release): three results that agree; the published values re-hashed
 *   to the release digest the agencies sealed; every interval exact for the plan's noise; three
 *   seals over the release;
 * - aborted (ends with the abort, then at most its refund): who ended it and why, a refund only
 *   before the data phase, nothing published, no seals;
 * - unfinished (neither): not verified.
 *
 * A malformed export is reported as one failing `format` check naming the field or entry.
 */
export function verifyTranscriptExport(
  value: unknown,
  consortium: Consortium,
  catalogue: Catalogue,
): AuditReport {
  let file;
  try {
    file = parseTranscriptExport(value);
  } catch (e) {
    if (e instanceof AuditError) {
      const id = (value as { sessionId?: unknown } | null)?.sessionId;
      return unreadableReport(e.message, typeof id === 'string' ? id : '');
    }
    throw e;
  }
  const checks = new CheckList();
  const entries = file.entries;
  checks.add(
    'format',
    undefined,
    `a ${EXPORT_FORMAT} export of ${entries.length} well-formed entries`,
  );
  const broken = verifyChain(file.sessionId, entries);
  checks.add(
    'hash chain',
    broken && `entry ${broken.seq} ${broken.reason}`,
    `${entries.length} entries chain from the session's genesis`,
    broken?.seq,
  );
  const plan = checkPlan(file, catalogue, checks) ? file.plan : undefined;
  // The key each party named in its acceptance, checked in force at the time: acceptances and
  // seals are verified with these (docs/security.md, key rotation).
  const pinned = checkIdentityKeys(entries, consortium, checks);

  const { outcome, ending } = outcomeOf(entries);
  checkOutcome(entries, outcome, ending, checks);
  const jiffStarted = entries.some((e) => e.kind === 'jiff.started');
  checkParties(
    entries,
    {
      sessionId: file.sessionId,
      planHash: file.planHash,
      pinned,
      jiff: jiffStarted ? true : outcome === 'completed' ? false : undefined,
      complete: outcome === 'completed',
    },
    checks,
  );
  if (jiffStarted) checkJiffShape(entries, file.sessionId, plan, outcome === 'completed', checks);
  if (plan?.join) checkJoin(entries, plan, outcome === 'completed', checks);

  const created = entries[0]?.kind === 'session.created' ? entries[0].body : undefined;
  let refund: AuditReport['refund'] = null;
  if (outcome === 'completed' && ending?.kind === 'session.results')
    checkRelease(file, ending, plan, pinned, checks);
  if (outcome === 'aborted' && ending?.kind === 'session.aborted')
    refund = checkAbort(file, ending, created, pinned, checks);

  const aborted = outcome === 'aborted' && ending?.kind === 'session.aborted' ? ending : undefined;
  return {
    ok: checks.checks.every((c) => c.ok),
    sessionId: file.sessionId,
    outcome,
    abort: aborted
      ? {
          by: aborted.body.by,
          code: aborted.body.code,
          message: aborted.body.message,
          dataPhaseStarted: aborted.body.dataPhaseStarted,
          seq: aborted.seq,
        }
      : null,
    partyAborts: entriesOf(entries, 'party.aborted').map((e) => ({ ...e.body, seq: e.seq })),
    charge: created ? { requestId: created.requestId, ...created.ledger } : null,
    refund,
    checks: checks.checks,
  };
}

/** How the transcript ends, looking past the refund an abort may be followed by. */
function outcomeOf(entries: readonly TranscriptEntry[]): {
  outcome: AuditOutcome;
  ending: TranscriptEntry | undefined;
} {
  let i = entries.length - 1;
  while (i >= 0 && entries[i].kind === 'ledger.refunded') i--;
  const ending = entries[i] as TranscriptEntry | undefined;
  return {
    outcome:
      ending?.kind === 'session.results'
        ? 'completed'
        : ending?.kind === 'session.aborted'
          ? 'aborted'
          : 'unfinished',
    ending,
  };
}

/** The ending is the only one: one release and no abort, or one abort (release or not before). */
function checkOutcome(
  entries: readonly TranscriptEntry[],
  outcome: AuditOutcome,
  ending: TranscriptEntry | undefined,
  checks: CheckList,
): void {
  const count = (kind: TranscriptEntry['kind']): TranscriptEntry[] =>
    entries.filter((e) => e.kind === kind);
  const releases = count('session.results');
  const aborts = count('session.aborted');
  const contrary =
    outcome === 'completed'
      ? [
          ...releases.slice(0, -1),
          ...aborts,
          ...count('party.aborted'),
          ...count('ledger.refunded'),
        ]
      : outcome === 'aborted'
        ? aborts.slice(0, -1)
        : [];
  const first = contrary.sort((a, b) => a.seq - b.seq)[0] as TranscriptEntry | undefined;
  checks.add(
    'outcome',
    outcome === 'unfinished'
      ? `the transcript ends with neither a release nor an abort (entry ${ending?.seq ?? 'none'}${ending ? `, ${ending.kind}` : ''}): the session has not finished`
      : first
        ? outcome === 'completed'
          ? `a completed session's transcript must not record ${first.kind === 'session.results' ? 'a second release' : `a ${first.kind} entry`}`
          : 'the session is aborted more than once'
        : undefined,
    outcome === 'completed'
      ? `completed: the transcript ends with the release (entry ${ending?.seq ?? '?'})`
      : `aborted: the transcript ends with the abort (entry ${ending?.seq ?? '?'})${entries.at(-1) !== ending ? ' and its refund' : ''}`,
    first?.seq ?? ending?.seq,
  );
}
