import {
  entriesOf,
  type SessionCreatedBody,
  type TranscriptEntry,
  verifySeal,
} from '#concord/transcript';
import { dataPhaseStarted } from '#concord/wire';
import type { AuditReport, CheckList } from './audit-report.js';
import type { AbortedBy, TranscriptExportFile } from './transcript-export.js';

/**
 * An aborted session: the abort states truthfully whether the data phase had begun and is the one
 * the coordinator reports; a refund, if any, follows the abort, happens once, gives back exactly
 * the charge, and only if the data phase never began (after it, noise may have left a party and
 * the charge must stand); nothing is published. Seals exist only if the results had been released
 * before the abort (a party that vanished while the others were sealing): each is then its
 * party's signature over that release, and there are fewer than three. Returns the (first) refund.
 */
export function checkAbort(
  file: TranscriptExportFile,
  aborted: TranscriptEntry<'session.aborted'>,
  created: SessionCreatedBody | undefined,
  pinned: ReadonlyMap<number, Uint8Array>,
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
  const released = entriesOf(entries, 'session.results').find((e) => e.seq < aborted.seq);
  const badSeal = file.seals.find((s) => {
    const key = pinned.get(s.party);
    return (
      !released ||
      !key ||
      s.headHash !== released.hash ||
      !verifySeal(key, file.sessionId, s.headHash, s.signature)
    );
  });
  checks.add(
    'seals',
    file.seals.length === 0
      ? undefined
      : !released
        ? `no results were released before the abort, but the export carries ${file.seals.length} seal(s)`
        : badSeal
          ? `party ${badSeal.party}'s seal is not its signature over the release the session aborted after`
          : file.seals.length >= 3
            ? 'three agencies sealed the release, yet the session is reported aborted'
            : undefined,
    file.seals.length === 0
      ? 'no agency sealed the transcript'
      : `${file.seals.length} of the three agencies had sealed the release before the abort; without all three nothing is published`,
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
