export {
  type AuditCheck,
  type AuditReport,
  type TranscriptExportFile,
  verifyTranscriptExport,
} from './verify-transcript.js';
