import { fieldById, jiffPrimeFor } from '#concord/field';
import type { SessionPlan } from '#concord/protocol';
import { entriesOf, type TranscriptEntry } from '#concord/transcript';
import type { CheckList } from './audit-report.js';

/**
 * A JIFF-mode transcript: one start on this session and the prime the plan's field implies, no
 * native envelopes, and at most one relay record per direction between the three parties, after
 * the start; a completed session has all six. The relay digests themselves are what each party
 * checked before sealing.
 */
export function checkJiffShape(
  entries: readonly TranscriptEntry[],
  sessionId: string,
  plan: SessionPlan | undefined,
  complete: boolean,
  checks: CheckList,
): void {
  const started = entriesOf(entries, 'jiff.started');
  const envelope = entries.find((e) => e.kind === 'envelope');
  const relays = entriesOf(entries, 'jiff.relay');
  const directions = new Set(relays.map((e) => `${e.body.from}>${e.body.to}`));
  const prime = expectedPrime(plan);
  const early = relays.find((e) => e.body.from === e.body.to || e.seq < started[0].seq);
  checks.add(
    'JIFF relay',
    started.length !== 1
      ? 'the transcript records more than one start of the JIFF computation'
      : started[0].body.computationId !== sessionId
        ? 'the JIFF computation is not this session’s'
        : prime === undefined
          ? 'the plan is not verified, so the JIFF computation’s prime cannot be checked'
          : started[0].body.prime !== prime
            ? 'the JIFF computation did not run modulo the prime the plan’s field implies'
            : envelope
              ? 'a JIFF-mode session must not relay native envelopes'
              : early
                ? 'a JIFF relay record precedes the start or goes from a party to itself'
                : directions.size !== relays.length
                  ? 'a direction has more than one JIFF relay record'
                  : complete && relays.length !== 6
                    ? `${relays.length} of the six directions have a JIFF relay record`
                    : undefined,
    complete
      ? 'one JIFF computation for this session, and one relay record per direction (checked by the parties before sealing)'
      : `one JIFF computation for this session, and ${relays.length} of the six relay records`,
    envelope?.seq ?? started[1]?.seq ?? early?.seq ?? started[0].seq,
  );
}

/** The prime every party derives from the plan's field (undefined for an unknown field). */
function expectedPrime(plan: SessionPlan | undefined): string | undefined {
  try {
    return plan ? jiffPrimeFor(fieldById(plan.field).modulus).toString() : undefined;
  } catch {
    return undefined;
  }
}
