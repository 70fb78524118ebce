import { isConcordError } from '#concord/errors';
import { type Catalogue, compileSessionPlan, planHash } from '#concord/protocol';
import type { TranscriptEntry } from '#concord/transcript';
import type { CheckList } from './audit-report.js';
import type { TranscriptExportFile } from './transcript-export.js';

/**
 * The protocol is in the auditor's catalogue; the exported plan hashes to the recorded hash and
 * recompiles to it from the protocol and the recorded request; the transcript opens with it; the
 * charge recorded at creation is the plan's. True when the plan can be trusted for later checks.
 */
export function checkPlan(
  file: TranscriptExportFile,
  catalogue: Catalogue,
  checks: CheckList,
): boolean {
  const entry = catalogue.byProtocolHash(file.protocol.hash);
  checks.add(
    'protocol',
    entry ? undefined : `protocol hash ${file.protocol.hash} is unknown to the auditor's catalogue`,
    entry
      ? `${entry.analysis.definition.id}@${entry.analysis.definition.version} is in the auditor's catalogue`
      : '',
  );

  let exportedHash: string | undefined;
  try {
    exportedHash = planHash(file.plan);
  } catch {
    exportedHash = undefined;
  }
  let recompiled: string | undefined;
  let recompileProblem = 'the protocol is not in the auditor’s catalogue';
  if (entry) {
    try {
      recompiled = planHash(
        compileSessionPlan(entry.analysis, {
          sessionId: file.sessionId,
          parameters: file.plan.parameters,
          axisValues: Object.fromEntries(
            file.plan.axes.flatMap((a) => ('values' in a ? [[a.name, [...a.values]]] : [])),
          ),
          budget: file.plan.budget.value,
          parties: file.plan.parties,
        }),
      );
      recompileProblem = 'the plan recompiled from the protocol and the request has another hash';
    } catch (e) {
      recompileProblem = `the request does not compile to a plan${isConcordError(e) ? ` (${e.message})` : ''}`;
    }
  }
  const created = file.entries[0] as TranscriptEntry | undefined;
  const failure =
    exportedHash !== file.planHash
      ? 'the exported plan does not hash to the recorded plan hash'
      : recompiled !== file.planHash
        ? recompileProblem
        : created?.kind !== 'session.created'
          ? 'the transcript does not open with the session’s creation'
          : created.body.planHash !== file.planHash
            ? 'the transcript opens with another plan hash'
            : undefined;
  const planOk = checks.add(
    'plan',
    failure,
    'the exported plan hashes to the recorded hash, and recompiles to it from the protocol and the request',
    0,
  );

  const ledger = created?.kind === 'session.created' ? created.body.ledger : undefined;
  const budget = file.plan.budget;
  const unit = file.plan.privacyUnit;
  checks.add(
    'ledger charge',
    !ledger
      ? 'the transcript records no charge'
      : ledger.rho !== budget.rho || ledger.xi !== budget.xi
        ? `charged (ρ = ${ledger.rho}, ξ = ${ledger.xi}) for a plan spending (ρ = ${budget.rho}, ξ = ${budget.xi})`
        : // A week's session charged to one day would spend six days' budget unseen.
          ledger.scope !== unit.scope || ledger.window !== unit.window
          ? `charged to ${ledger.scope} / ${ledger.window} for a plan whose privacy unit is ${unit.scope} / ${unit.window}`
          : undefined,
    `charged ρ = ${ledger?.rho ?? '?'}, ξ = ${ledger?.xi ?? '?'} to ${ledger?.scope ?? '?'} / ${ledger?.window ?? '?'}: what the plan spends, on its privacy unit's buckets`,
    0,
  );
  return planOk;
}
