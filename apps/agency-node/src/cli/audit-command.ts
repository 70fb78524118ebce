import { readFileSync } from 'node:fs';
import {
  type AuditReport,
  auditVerdict,
  unreadableReport,
  verifyTranscriptExport,
} from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import { ConcordError } from '#concord/errors';
import { readCatalogueDirectory } from '#concord/protocol';
import { shippedCatalogueDir } from './shipped-catalogue.js';

export interface AuditVerifyOptions {
  readonly consortium: string;
  /** The auditor's catalogue; the one shipped with the package when absent. */
  readonly protocols?: string;
  readonly json?: boolean;
}

/**
 * `concord audit verify`: exit code 0 when every check passes, 1 otherwise. An export that is
 * not JSON or not the documented shape is a failed check naming the problem, never a stack trace.
 * The auditor's own files (consortium, catalogue) must be readable: a problem with them is an
 * error of the command, not a verdict on the transcript.
 */
export function auditVerify(
  file: string,
  options: AuditVerifyOptions,
  write: (text: string) => void = (text) => process.stdout.write(text),
): number {
  const consortium = parseConsortium(readJson(options.consortium, 'the consortium file'));
  const catalogue = readCatalogueDirectory(options.protocols ?? shippedCatalogueDir());
  let report: AuditReport;
  try {
    report = verifyTranscriptExport(readJson(file, 'the export'), consortium, catalogue);
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    report = unreadableReport(e.message);
  }
  write(options.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report));
  return report.ok ? 0 : 1;
}

/** The human report: one line per check, the charge, refund and party reports, the verdict. */
export function describeReport(report: AuditReport): string {
  const lines = [
    `transcript of session ${report.sessionId || '(unknown)'}: ${report.outcome}`,
    ...report.checks.map(
      (c) =>
        `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}${c.seq !== undefined ? ` (entry ${c.seq})` : ''}`,
    ),
  ];
  const { charge, refund } = report;
  if (charge)
    lines.push(
      `  charge: ρ = ${charge.rho}, ξ = ${charge.xi} to ${charge.scope} / ${charge.window} (request ${charge.requestId})`,
    );
  if (refund) lines.push(`  refund: ρ = ${refund.rho}, ξ = ${refund.xi} (entry ${refund.seq})`);
  for (const r of report.partyAborts)
    lines.push(
      `  party ${r.party} stopped: ${r.code}${r.message ? `: ${r.message}` : ''}${r.suspects.length ? ` (suspects: party ${r.suspects.join(', party ')})` : ''} (entry ${r.seq})`,
    );
  lines.push(auditVerdict(report));
  // Messages come from the parties and the coordinator: one line each, whatever they contain.
  return `${lines.map((l) => l.replace(/[\u0000-\u001f\u007f]+/g, ' ')).join('\n')}\n`;
}

/** A file the auditor named that cannot be read as JSON (the message says which and why). */
export class UnreadableFileError extends ConcordError<'unreadable-file'> {
  readonly domain = 'agency-node';
  constructor(message: string) {
    super('unreadable-file', message);
  }
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new UnreadableFileError(
      `cannot read ${what} ${path}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UnreadableFileError(
      `${what} ${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
