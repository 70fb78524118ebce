/**
 * The compiled computation: a list of nodes in evaluation order (each refers to earlier nodes
 * only). `level` is the number of resharing rounds needed before the node's value exists:
 * linear nodes take their operands' level, products one more.
 */
export type ProgramNode =
  | { readonly op: 'input'; readonly input: string }
  | { readonly op: 'add'; readonly args: readonly number[] }
  | { readonly op: 'sub'; readonly args: readonly [number, number] }
  | { readonly op: 'scale'; readonly arg: number; readonly by: number }
  | { readonly op: 'sumOver'; readonly arg: number; readonly axis: string }
  | { readonly op: 'broadcast'; readonly arg: number; readonly axes: readonly string[] }
  | { readonly op: 'multiply'; readonly args: readonly [number, number] }
  | {
      readonly op: 'innerProduct';
      readonly args: readonly [number, number];
      readonly over: readonly string[];
    };

export interface TypedNode {
  readonly node: ProgramNode;
  /** Axes of the node's vector, outermost first (row-major layout). */
  readonly axes: readonly string[];
  readonly level: number;
}
