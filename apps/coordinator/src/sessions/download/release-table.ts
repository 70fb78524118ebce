import { planAxisSize } from '#concord/protocol';
import { CoordinatorError } from '../../common/coordinator-error.js';
import { servedOutputs } from '../served-release.js';
import type { Session, StoredOutput } from '../session.js';
import type { StoredValues } from './stored-values.js';

/**
 * A sealed release laid out as a long table for downloads: one row per cell of each output, with
 * one column per plan axis (in the plan's axis order), then the released value, its 95% interval
 * half-width and the confidence level, exactly the figures `GET /reports/:id` serves.
 */
export interface ReleaseTable {
  readonly sessionId: string;
  /** The plan's axes in plan order. */
  readonly axes: readonly ReleaseTableAxis[];
  readonly outputs: readonly ReleaseTableOutput[];
  readonly rows: number;
}

/**
 * One plan axis: `column` is its header (its name, unless a fixed column has it). A listed axis
 * has its `values`; a range axis only its bounds (its values are the integers `lo + index`), so a
 * million-cell range never becomes a million strings unless a format writes them.
 */
export type ReleaseTableAxis = { readonly name: string; readonly column: string } & (
  { readonly values: readonly string[] } | { readonly range: readonly [number, number] }
);

export interface ReleaseTableOutput {
  readonly name: string;
  /**
   * Per plan axis: the stride of that axis in this output's row-major cell index, or 0 when the
   * output is not broken down by it (its column is then empty).
   */
  readonly strides: readonly number[];
  /** Per plan axis: its size along this output (1 where the output lacks it). */
  readonly sizes: readonly number[];
  /** Decimal integers, one per cell: the released text as bytes, never split. */
  readonly values: StoredValues;
  readonly intervalHalfWidth: string;
  readonly confidenceLevel: string;
}

/** The fixed columns; an axis with one of these names gets the header `<name>_axis`. */
export const VALUE_COLUMNS = ['value', 'interval_half_width', 'confidence_level'] as const;
export const OUTPUT_COLUMN = 'output';

/**
 * Whether a report has a release to download, and the output asked for: only a completed report
 * has one (its three agencies sealed the transcript whose release entry carries its values). A
 * report still running, sealing or aborted has nothing to download (`not-released`), and an
 * output the plan does not have is refused by name.
 */
export function assertDownloadable(session: Session, outputName?: string): void {
  if (session.state !== 'completed') {
    const why = session.error ? ` (${session.error.code})` : '';
    throw new CoordinatorError(
      'not-released',
      `report ${session.id} is ${session.state}${why}: only a completed report's sealed release can be downloaded`,
    );
  }
  const outputs = session.plan.outputs;
  if (outputName !== undefined && !outputs.some((o) => o.name === outputName))
    throw new CoordinatorError(
      'invalid-request',
      `report ${session.id} has no output "${outputName}" (its outputs: ${outputs.map((o) => o.name).join(', ')})`,
    );
}

/** The table of a report's release, or of one of its outputs (`assertDownloadable` first). */
export function releaseTable(
  session: Session,
  stored: readonly StoredOutput[],
  outputName?: string,
): ReleaseTable {
  assertDownloadable(session, outputName);
  const plan = session.plan;
  const served = servedOutputs(session, stored).filter(
    (o) => outputName === undefined || o.name === outputName,
  );
  const taken = new Set<string>([OUTPUT_COLUMN, ...VALUE_COLUMNS]);
  const axes = plan.axes.map((a): ReleaseTableAxis => {
    const named = { name: a.name, column: taken.has(a.name) ? `${a.name}_axis` : a.name };
    return 'values' in a ? { ...named, values: a.values } : { ...named, range: a.range };
  });
  const outputs = served.map((o) => tableOutput(session, o));
  return {
    sessionId: session.id,
    axes,
    outputs,
    rows: outputs.reduce((n, o) => n + o.values.length, 0),
  };
}

function tableOutput(session: Session, released: StoredOutput): ReleaseTableOutput {
  const plan = session.plan;
  const planned = plan.outputs.find((p) => p.name === released.name)!;
  const own = planned.axes.map((name) => planAxisSize(plan.axes.find((a) => a.name === name)!));
  const ownStrides = own.map((_, i) => own.slice(i + 1).reduce((n, s) => n * s, 1));
  const cells = own.reduce((n, s) => n * s, 1);
  const values = released.values;
  // A stored release of another shape would put values on the wrong cells: refuse, never guess.
  if (values.length !== cells)
    throw new CoordinatorError(
      'conflict',
      `report ${session.id}: output ${released.name} stores ${values.length} values for its ${cells}-cell grid`,
    );
  return {
    name: released.name,
    strides: plan.axes.map((a) => {
      const i = planned.axes.indexOf(a.name);
      return i < 0 ? 0 : ownStrides[i];
    }),
    sizes: plan.axes.map((a) => {
      const i = planned.axes.indexOf(a.name);
      return i < 0 ? 1 : own[i];
    }),
    values,
    intervalHalfWidth: released.intervalHalfWidth.toString(),
    confidenceLevel: released.confidenceLevel,
  };
}

/** The index along plan axis `axis` of cell `cell` of `output`, or -1 if it lacks that axis. */
export function axisIndex(output: ReleaseTableOutput, axis: number, cell: number): number {
  const stride = output.strides[axis];
  return stride === 0 ? -1 : Math.floor(cell / stride) % output.sizes[axis];
}
