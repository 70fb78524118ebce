import { entriesOf, type SessionCreatedBody, type TranscriptEntry } from '#concord/transcript';
import { dataPhaseStarted } from '#concord/wire';
import type { AuditReport, CheckList } from './audit-report.js';
import type { AbortedBy, TranscriptExportFile } from './transcript-export.js';

/**
 * An aborted session: the abort states truthfully whether the data phase had begun and is the one
 * the coordinator reports; a refund, if any, follows the abort, happens once, gives back exactly
 * the charge, and only if the data phase never began (after it, noise may have left a party and
 * the charge must stand); nothing is published and nothing sealed. Returns the (first) refund.
 */
export function checkAbort(
  file: TranscriptExportFile,
  aborted: TranscriptEntry<'session.aborted'>,
  created: SessionCreatedBody | undefined,
  checks: CheckList,
): AuditReport['refund'] {
  const entries = file.entries;
  const before = entries.filter((e) => e.seq < aborted.seq);
  const started = dataPhaseStarted(before);
  const { by, code, message } = aborted.body;
  const served = file.abort;
  checks.add(
    'abort',
    aborted.body.dataPhaseStarted !== started
      ? `the abort says the data phase had ${aborted.body.dataPhaseStarted ? '' : 'not '}begun, but ${entriesOf(before, 'noise.committed').length} of the three noise commitments precede it`
      : !served
        ? 'the coordinator does not report the session as aborted'
        : served.code !== code || served.message !== message || served.by !== by
          ? 'the abort the coordinator reports (its code, message or who) is not the one its transcript records'
          : undefined,
    `aborted by ${who(by)} (${code}${message ? `: ${message}` : ''}) ${started ? 'after its data phase began' : 'before its data phase'}`,
    aborted.seq,
  );

  const refunds = entriesOf(entries, 'ledger.refunded');
  const refund = refunds[0] as TranscriptEntry<'ledger.refunded'> | undefined;
  const ledger = created?.ledger;
  checks.add(
    'refund',
    !refund
      ? undefined
      : refunds.length > 1
        ? 'the charge is refunded more than once'
        : refund.seq < aborted.seq
          ? 'the refund precedes the abort'
          : dataPhaseStarted(entries.filter((e) => e.seq < refund.seq))
            ? 'refunded after the data phase: all three noise commitments precede the refund, so noise may have left a party and the charge must stand'
            : !ledger ||
                refund.body.requestId !== created.requestId ||
                refund.body.rho !== ledger.rho ||
                refund.body.xi !== ledger.xi
              ? `the refund (ρ = ${refund.body.rho}, ξ = ${refund.body.xi}) is not the charge the session opened with`
              : undefined,
    refund
      ? `the charge (ρ = ${refund.body.rho}, ξ = ${refund.body.xi}) was refunded: the data phase never began`
      : started
        ? 'nothing refunded: the data phase had begun, so the charge stands'
        : 'no refund is recorded: the charge stands',
    refunds[1]?.seq ?? refund?.seq,
  );

  checks.add(
    'release',
    file.release
      ? 'an aborted session publishes nothing, but the export carries published values'
      : undefined,
    'nothing was published',
  );
  checks.add(
    'seals',
    file.seals.length > 0
      ? `an aborted session has no seals, but the export carries ${file.seals.length}`
      : undefined,
    'no agency sealed the transcript (an aborted session has no seals)',
  );

  const reports = entriesOf(entries, 'party.aborted');
  const selfSuspect = reports.find((r) => r.body.suspects.includes(r.body.party));
  if (reports.length > 0)
    checks.add(
      'party reports',
      selfSuspect ? `party ${selfSuspect.body.party} names itself as a suspect` : undefined,
      reports
        .map(
          (r) =>
            `party ${r.body.party} stopped (${r.body.code})${r.body.suspects.length ? `, suspecting ${r.body.suspects.map((p) => `party ${p}`).join(' and ')}` : ''}`,
        )
        .join('; '),
      selfSuspect?.seq,
    );

  return refund ? { rho: refund.body.rho, xi: refund.body.xi, seq: refund.seq } : null;
}

function who(by: AbortedBy): string {
  return by === 'coordinator' ? 'the coordinator' : `party ${by}`;
}
