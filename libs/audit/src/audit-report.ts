import type { PartyNumber } from '#concord/transcript';
import type { AbortedBy } from './transcript-export.js';

export interface AuditCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was verified when `ok`; what failed otherwise (never the success sentence). */
  readonly detail: string;
  /** The first bad entry, when a check fails on one. */
  readonly seq?: number;
}

/**
 * How the transcript ends: with the sealed release, with an abort (and possibly its refund), with
 * neither (the session has not finished), or the export could not be read at all.
 */
export type AuditOutcome = 'completed' | 'aborted' | 'unfinished' | 'unreadable';

export interface AuditReport {
  readonly ok: boolean;
  readonly sessionId: string;
  readonly outcome: AuditOutcome;
  /** For an aborted session: who ended it, with which code and why, as its transcript records. */
  readonly abort: {
    readonly by: AbortedBy;
    readonly code: string;
    readonly message: string;
    readonly dataPhaseStarted: boolean;
    readonly seq: number;
  } | null;
  /** Every party's own report of why it stopped, with the parties it cannot exclude. */
  readonly partyAborts: readonly {
    readonly party: PartyNumber;
    readonly code: string;
    readonly message: string;
    readonly suspects: readonly PartyNumber[];
    readonly seq: number;
  }[];
  /** The privacy-budget charge the session opened with (its `session.created` ledger). */
  readonly charge: {
    readonly requestId: string;
    readonly scope: string;
    readonly window: string;
    readonly rho: string;
    readonly xi: string;
  } | null;
  /** The charge given back, when the session aborted before its data phase. */
  readonly refund: { readonly rho: string; readonly xi: string; readonly seq: number } | null;
  readonly checks: readonly AuditCheck[];
}

/** Collects checks: each states its success sentence or, when it fails, what failed. */
export class CheckList {
  readonly checks: AuditCheck[] = [];

  /** `failure` undefined means the check passed with `success`. */
  add(name: string, failure: string | undefined, success: string, seq?: number): boolean {
    const ok = failure === undefined;
    this.checks.push({
      name,
      ok,
      detail: ok ? success : failure,
      ...(ok || seq === undefined ? {} : { seq }),
    });
    return ok;
  }
}

/**
 * The report on an export that could not be read (not JSON, or not the documented shape): one
 * failing `format` check saying why.
 */
export function unreadableReport(why: string, sessionId = ''): AuditReport {
  return {
    ok: false,
    sessionId,
    outcome: 'unreadable',
    abort: null,
    partyAborts: [],
    charge: null,
    refund: null,
    checks: [{ name: 'format', ok: false, detail: why }],
  };
}

/** One line saying what the report concludes (the CLI's last line). */
export function auditVerdict(report: AuditReport): string {
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).length;
    return `NOT verified: ${failed} ${failed === 1 ? 'check' : 'checks'} failed`;
  }
  if (report.outcome === 'aborted' && report.abort) {
    const { by, code, message } = report.abort;
    const who = by === 'coordinator' ? 'the coordinator' : `party ${by}`;
    return `verified: aborted session (by ${who}, ${code}${message ? `: ${message}` : ''})`;
  }
  return 'verified: completed session; the published values are the ones the three agencies sealed';
}
