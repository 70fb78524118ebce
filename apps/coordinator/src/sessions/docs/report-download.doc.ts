import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDoc } from '../../common/docs/problem.doc.js';

/**
 * OpenAPI documentation of `GET /reports/:id/download`: a file, not JSON (the columns are
 * described in docs/operations.md, 'Downloading a release'), and the 409 of a report that has no
 * sealed release.
 */
export function ApiReportDownload(): MethodDecorator {
  return applyDecorators(
    ApiProduces('text/csv', 'application/vnd.apache.arrow.stream'),
    ApiOkResponse({
      description:
        'The sealed release, one row per cell: `output`, one column per plan axis (in plan order; empty or null where an output lacks the axis), `value`, `interval_half_width`, `confidence_level`: the figures GET /reports/:id serves. Sent as an attachment (Content-Disposition) and streamed.',
      headers: {
        'Content-Disposition': {
          description: 'attachment; filename="<protocol>-<report id>[-<output>].csv|.arrows"',
          schema: { type: 'string' },
        },
      },
      content: {
        'text/csv': {
          schema: { type: 'string', description: 'RFC 4180 CSV (UTF-8, CRLF), header first' },
        },
        'application/vnd.apache.arrow.stream': {
          schema: {
            type: 'string',
            format: 'binary',
            description:
              'Arrow IPC stream, one table: dictionary-encoded strings (int8, int16 or int32 indices, the narrowest that fits) for output, listed axes and confidence_level; int32 range axes; int64 value and interval_half_width',
          },
        },
      },
    }),
    ApiResponse({
      status: 409,
      description:
        'not-released: the report is still running or sealing, or it aborted, or its stored release no longer hashes to the one its agencies sealed; only a completed report’s sealed release is served',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } },
    }),
  );
}
