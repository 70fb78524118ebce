/**
 * Bad input data, located precisely: the node refuses the session and sends nothing. The
 * message names the file, the line and the column, never the offending value's neighbours.
 */
export class ConnectorError extends Error {
  readonly code = 'invalid-data' as const;
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: string | undefined,
    reason: string,
  ) {
    super(
      `${file}${line !== undefined ? `:${line}` : ''}${column ? ` column ${column}` : ''}: ${reason}`,
    );
    this.name = 'ConnectorError';
  }
}
