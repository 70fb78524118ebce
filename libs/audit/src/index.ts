export { AuditError, type AuditErrorCode } from './audit-error.js';
export {
  type AuditCheck,
  type AuditOutcome,
  type AuditReport,
  auditVerdict,
  unreadableReport,
} from './audit-report.js';
export {
  type AbortedBy,
  EXPORT_FORMAT,
  type ExportedAbort,
  type ExportedRelease,
  parseTranscriptExport,
  type TranscriptExportFile,
} from './transcript-export.js';
export { verifyTranscriptExport } from './verify-transcript.js';
