import { ConfigurationError } from '#concord/errors';
import {
  budgetForHalfWidth,
  type CatalogueEntry,
  type ProtocolAccuracy,
  protocolAccuracy,
  readCatalogueDirectory,
} from '#concord/protocol';
import { shippedCatalogueDir } from './shipped-catalogue.js';

export interface PlanOptions {
  readonly protocol: string;
  readonly budget?: string;
  readonly halfWidth?: string;
  /** With --half-width: only this output. */
  readonly output?: string;
  /** The catalogue; the one shipped with the package when absent. */
  readonly protocols?: string;
  readonly json?: boolean;
}

/**
 * `concord plan`: accuracy before spending, offline, by the same functions the coordinator's
 * `GET /catalogue/:id/accuracy` and the release use (#concord/protocol `protocolAccuracy`,
 * `budgetForHalfWidth`). Public axes (routes, zones) are counted at their declared maximum size
 * here: that only enters ξ (τ per cell, at most 10⁻³⁰ each), so the ε printed is never below the
 * coordinator's. Exit code 0, or 1 when no budget in the protocol's range reaches the half-width.
 */
export function planCommand(
  options: PlanOptions,
  write: (text: string) => void = (text) => process.stdout.write(text),
): number {
  if ((options.budget === undefined) === (options.halfWidth === undefined)) {
    throw new ConfigurationError({
      setting: '--budget / --half-width',
      requirement: 'exactly one of them',
      shown: options.budget === undefined ? 'neither' : 'both',
    });
  }
  const entry = readCatalogueDirectory(options.protocols ?? shippedCatalogueDir()).find(
    options.protocol,
  );
  if (!entry) {
    throw new ConfigurationError({
      setting: '--protocol',
      requirement: 'a protocol of the catalogue (concord protocols list)',
      shown: JSON.stringify(options.protocol),
    });
  }
  const cells = maxCells(entry);
  if (options.budget !== undefined) {
    const accuracy = protocolAccuracy(entry.analysis, options.budget, cells);
    write(options.json ? `${JSON.stringify(accuracy, null, 2)}\n` : describeAccuracy(accuracy));
    return 0;
  }
  if (!/^\d{1,15}$/.test(options.halfWidth ?? '')) {
    throw new ConfigurationError({
      setting: '--half-width',
      requirement: 'a whole number in the output’s unit, such as 20',
      shown: JSON.stringify(options.halfWidth),
    });
  }
  const needed = budgetForHalfWidth(
    entry.analysis,
    BigInt(options.halfWidth!),
    cells,
    options.output,
  );
  if (options.json) {
    write(`${JSON.stringify({ halfWidth: options.halfWidth, needed }, null, 2)}\n`);
  } else {
    for (const n of needed) {
      write(
        n.budget === null
          ? `${n.name}: ±${n.halfWidth} ${n.unit} is out of reach; the largest budget allowed (${entry.analysis.definition.privacy.maxBudget}) gives ±${n.achieved}\n`
          : `${n.name}: budget ${n.budget} gives ±${n.achieved} ${n.unit} (target ±${n.halfWidth})\n`,
      );
    }
  }
  return needed.every((n) => n.budget !== null) ? 0 : 1;
}

function describeAccuracy(a: ProtocolAccuracy): string {
  const lines = [
    `${a.protocol.id}@${a.protocol.version} at budget ${a.budget} (${a.mechanism}):`,
    ...a.outputs.map(
      (o) =>
        `  ${o.name}: ±${o.halfWidth} ${o.unit} on every cell (${Number(o.confidenceLevel) * 100}% interval), from ${a.mechanism === 'polya-laplace' ? 'ε' : 'ρ'} = ${o.budget} of the budget`,
    ),
    a.privacy.pureEpsilonText !== null
      ? `  privacy: pure ε = ${a.privacy.pureEpsilonText} (ledger ρ = ${a.privacy.rho})`
      : `  privacy: ε = ${a.privacy.epsilonText} at δ = ${a.privacy.delta} (ρ = ${a.privacy.rho})`,
    `  ${a.privacy.statement} See docs/privacy.md ('Accounting').`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Each output's cell count with public axes at their declared maximum (ξ bounded above). */
function maxCells(entry: CatalogueEntry): (output: string) => number {
  const sizes = new Map(
    entry.analysis.definition.axes.map((a) => [
      a.name,
      'range' in a.source ? a.source.range[1] - a.source.range[0] + 1 : a.maxSize,
    ]),
  );
  const byName = new Map(
    entry.analysis.outputs.map((o) => [
      o.name,
      o.axes.reduce((n, a) => n * (sizes.get(a) ?? 1), 1),
    ]),
  );
  return (output) => byName.get(output) ?? 1;
}
