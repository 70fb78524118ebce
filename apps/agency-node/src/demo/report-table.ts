import Table from 'cli-table3';
import type { CatalogueTruth } from './catalogue-truth.js';

/** The parts of a report the demo prints (see the coordinator's report presenter). */
export interface PrintedReport {
  readonly id: string;
  readonly protocol: { readonly id: string; readonly title: string };
  readonly grid: readonly { readonly name: string; readonly values?: readonly string[] }[];
  readonly outputs: readonly {
    readonly name: string;
    readonly title: string;
    readonly unit: string;
    readonly axes: readonly string[];
    readonly values: readonly string[];
    readonly intervalHalfWidth: string;
  }[];
  readonly derived: readonly {
    readonly name: string;
    readonly title: string;
    readonly unit: string;
    readonly denominator: string;
    readonly values: readonly (string | null)[];
    readonly intervals: readonly (readonly [string, string] | null)[];
  }[];
  readonly budget: { readonly rho: string };
  /** The release's privacy as the coordinator states it on every surface. */
  readonly privacy: {
    readonly rho: string;
    readonly epsilonText: string;
    readonly delta: number;
    readonly pureEpsilonText: string | null;
    readonly statement: string;
    readonly outputs: readonly {
      readonly name: string;
      readonly rho: string;
      readonly shareOfRho: string;
    }[];
  };
}

/**
 * The privacy lines the demo prints for a report: the release's ε (or pure ε) exactly as the API,
 * the ledger and the dashboard state it, each output's share of ρ, and where it is explained.
 */
export function privacyLines(report: PrintedReport): string[] {
  const p = report.privacy;
  const headline =
    p.pureEpsilonText !== null
      ? `privacy spent per rider-day: pure ε = ${p.pureEpsilonText} for the whole report (ledger ρ = ${p.rho})`
      : `privacy spent per rider-day: ε = ${p.epsilonText} at δ = ${p.delta} for the whole report (ρ = ${p.rho})`;
  const shares = p.outputs.map((o) => `${o.name} ρ = ${o.rho} (${o.shareOfRho} of the total)`);
  return [
    `  ${headline}`,
    `  outputs: ${shares.join('; ')}`,
    `  ${p.statement} See docs/privacy.md ('Accounting').`,
  ];
}

/**
 * A report as a terminal table: the `rows` cells where the synthetic truth is largest (so the
 * table shows service, not night zeros), each released value with its 95% interval, the derived
 * ratios with their ranges, and the truth beside them. Returns the table and how many released
 * values fall within their interval of the truth.
 */
export function reportTable(
  report: PrintedReport,
  truth: CatalogueTruth,
  rows: number,
): { text: string; within: number; total: number } {
  // The outputs' own axes (an inner product sums one of the grid's axes away).
  const axes = report.outputs[0].axes.map((name) => ({
    name,
    values: report.grid.find((a) => a.name === name)?.values ?? [],
  }));
  const cells = report.outputs[0].values.length;
  const strides = axes.map((_, k) => axes.slice(k + 1).reduce((n, a) => n * a.values.length, 1));
  const keyOf = (i: number): string[] =>
    axes.map((a, k) => a.values[Math.floor(i / strides[k]) % a.values.length]);
  const first = truth.outputs[report.outputs[0].name];
  const shown = [...Array(cells).keys()]
    .sort((a, b) => Number(first[b] - first[a]))
    .slice(0, rows)
    .sort((a, b) => a - b);
  const table = new Table({
    head: [
      ...axes.map((a) => a.name),
      ...report.outputs.map((o) => `${o.title} ± 95%`),
      ...report.derived.map((d) => `${d.title} (≥ 90% range)`),
      'synthetic truth',
    ],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [], compact: true },
  });
  for (const i of shown) {
    table.push([
      ...keyOf(i),
      ...report.outputs.map(
        (o) =>
          `${formatValue(BigInt(o.values[i]), o.unit)} ± ${formatValue(BigInt(o.intervalHalfWidth), o.unit)}`,
      ),
      ...report.derived.map((d) => {
        // No range: the denominator's error bar reaches zero, so the ratio is not estimable.
        const v = d.values[i];
        const range = d.intervals[i];
        if (v === null || !range) return 'not estimable at this budget';
        // A share outside 0–1 is shown clipped, with the released value beside it.
        const clipped =
          d.unit === 'share' && (Number(v) < 0 || Number(v) > 1)
            ? `${formatRatio(Number(v) < 0 ? '0' : '1', d.unit)} (released ${formatRatio(v, d.unit)})`
            : null;
        return `${clipped ?? formatRatio(v, d.unit)} (${formatRatio(range[0], d.unit, 'down')} – ${formatRatio(range[1], d.unit, 'up')})`;
      }),
      report.outputs.map((o) => formatValue(truth.outputs[o.name][i], o.unit)).join(' / '),
    ]);
  }
  let within = 0;
  let total = 0;
  for (const o of report.outputs) {
    const h = BigInt(o.intervalHalfWidth);
    const exact = truth.outputs[o.name];
    o.values.forEach((v, i) => {
      const d = BigInt(v) - exact[i];
      if ((d < 0n ? -d : d) <= h) within++;
      total++;
    });
  }
  return { text: table.toString(), within, total };
}

function formatValue(v: bigint, unit: string): string {
  if (unit !== 'cents') return v.toLocaleString('en-US');
  const sign = v < 0n ? '-' : '';
  const a = v < 0n ? -v : v;
  return `${sign}$${(a / 100n).toLocaleString('en-US')}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** A ratio for the terminal; a range's bounds round outward (`down`, `up`) so it never narrows. */
function formatRatio(
  text: string,
  unit: string,
  round: 'nearest' | 'down' | 'up' = 'nearest',
): string {
  const [scale, digits, prefix, suffix] = unit.startsWith('cents/')
    ? [0.01, 2, '$', '']
    : unit === 'share'
      ? [100, 1, '', '%']
      : [1, 2, '', ''];
  const step = 10 ** digits;
  const x = Number(text) * scale * step;
  const r = round === 'down' ? Math.floor(x) : round === 'up' ? Math.ceil(x) : Math.round(x);
  return `${prefix}${(r / step).toFixed(digits)}${suffix}`;
}
