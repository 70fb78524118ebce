import type { DownloadFormat } from '../dto/download-report.dto.js';

/** `.arrows` is the registered extension of `application/vnd.apache.arrow.stream`. */
const EXTENSIONS: Readonly<Record<DownloadFormat, string>> = { csv: 'csv', arrow: 'arrows' };

/**
 * The attachment's filename: `<protocol>-<report id>[-<output>].<ext>`. Its parts already follow
 * narrow patterns (protocol ids, UUIDs, output names), but the header is built from stored text,
 * so anything outside [A-Za-z0-9._-] becomes `_`: no quote, semicolon or path can reach it.
 */
export function downloadFilename(
  protocolId: string,
  reportId: string,
  format: DownloadFormat,
  output?: string,
): string {
  const stem = [protocolId, reportId, ...(output === undefined ? [] : [output])].join('-');
  return `${stem.replace(/[^A-Za-z0-9._-]/g, '_')}.${EXTENSIONS[format]}`;
}
