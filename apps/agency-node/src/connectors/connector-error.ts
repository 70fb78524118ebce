import { ConcordError } from '#concord/errors';

/**
 * Bad input data, located precisely: the node refuses the session and sends nothing. The
 * message names the file, the line and the column, never the offending value's neighbours.
 */
export class ConnectorError extends ConcordError<'invalid-data'> {
  readonly domain = 'connector';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: string | undefined,
    reason: string,
  ) {
    super(
      'invalid-data',
      `${file}${line !== undefined ? `:${line}` : ''}${column ? ` column ${column}` : ''}: ${reason}`,
    );
  }
}
