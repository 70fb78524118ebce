/**
 * What a transcript verification (`GET /sessions/:id/verification`) concludes, in plain words,
 * for the report page and the transcript page alike. Only an ok verification is called verified;
 * an aborted session that verifies is "verified as aborted", never "verified".
 */

/**
 * @typedef {{ name: string, ok: boolean, detail: string, seq?: number }} Check
 * @typedef {{ by: 'coordinator' | number, code: string, message: string, dataPhaseStarted?: boolean }} Abort
 * @typedef {{ party: number, code: string, message: string, suspects: number[], seq: number }} PartyAbort
 * @typedef {{ ok: boolean, outcome?: string, abort?: Abort | null, partyAborts?: PartyAbort[], refund?: { rho: string, xi: string } | null, checks: Check[] }} Verification
 * @typedef {{ state: 'verified' | 'aborted' | 'failed', label: string, title: string, summary: string, lines: string[], failed: Check[] }} Verdict
 */

/**
 * @param {'coordinator' | number} by
 * @returns {string}
 */
export function abortedBy(by) {
  return by === 'coordinator' ? 'the coordinator' : `party ${by}`;
}

/**
 * @param {Verification} v
 * @returns {Verdict}
 */
export function verdictOf(v) {
  const checks = v.checks ?? [];
  const failed = checks.filter((c) => !c.ok);
  if (v.ok && v.outcome === 'aborted' && v.abort) {
    const { by, code, message } = v.abort;
    const lines = [
      `Aborted by ${abortedBy(by)} (${code})${message ? `: ${message}` : ''}.`,
      ...(v.partyAborts ?? []).map(
        (r) =>
          `Party ${r.party} stopped (${r.code})${r.message ? `: ${r.message}` : ''}${r.suspects.length ? `; it suspects ${r.suspects.map((p) => `party ${p}`).join(' and ')}` : ''}.`,
      ),
      v.refund
        ? `The privacy budget charged for it was refunded (ρ = ${v.refund.rho}): its data phase never began.`
        : 'The privacy budget charged for it stands.',
      'Nothing was published and no agency sealed it.',
    ];
    return {
      state: 'aborted',
      label: 'Verified as aborted',
      title: `Verified as aborted: all ${checks.length} checks passed.`,
      summary: `All ${checks.length} checks passed against the coordinator’s pinned agency keys.`,
      lines,
      failed,
    };
  }
  if (v.ok) {
    return {
      state: 'verified',
      label: 'Verified',
      title: `Verified: all ${checks.length} checks passed.`,
      summary: `All ${checks.length} checks passed against the coordinator’s pinned agency keys.`,
      lines: ['The published values are the ones the three agencies sealed.'],
      failed,
    };
  }
  const lines = [];
  const release = failed.find((c) => c.name === 'release');
  if (release && v.outcome === 'completed') {
    lines.push(
      'The published values differ from what the three agencies sealed: do not rely on the numbers this report shows.',
    );
  }
  if (v.outcome === 'unfinished') {
    lines.push('The session has not finished, so its transcript cannot be verified yet.');
  }
  return {
    state: 'failed',
    label: 'Not verified',
    title: `Not verified: ${failed.length} of ${checks.length} checks failed.`,
    summary: `${failed.length} of ${checks.length} checks failed.`,
    lines,
    failed,
  };
}
