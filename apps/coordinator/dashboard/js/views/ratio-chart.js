/**
 * One derived ratio of one slice as a bar chart whose whiskers are the ratio's range (at least
 * 90%: both released values within their 95% intervals). A cell without a range gets no bar, and
 * the caption says how many and why, so a gap is never silent; the table gives each reason.
 */
import { chartsAvailable, errorBarChart } from '../charts.js';
import { humanize, unitFormat } from '../format.js';
import { rowRatio } from '../grid.js';
import { chartFrame } from './chart-frame.js';

/** A cell without a range: NaN is a gap to Chart.js (the error-bar plugin cannot take null). */
const NO_BAR = { y: Number.NaN, yMin: Number.NaN, yMax: Number.NaN, text: '' };

/**
 * @param {import('../grid.js').ReportDerived} derived
 * @param {import('../grid.js').ResultGroup} group
 * @returns {{ element: HTMLElement, show(rows: import('../grid.js').SliceRow[], description: string): void, destroy(): void }}
 */
export function ratioChart(derived, group) {
  const f = unitFormat(derived.unit);
  const level = `${Math.round(Number(derived.confidenceLevel ?? '0.9') * 100)}%`;
  const frame = chartFrame(`${derived.title} (${f.label})`, {
    'data-chart': derived.name,
    'data-chart-kind': 'ratio',
  });
  const { caption, canvas } = frame;
  const xTitle = group.axes.length ? humanize(group.axes[group.axes.length - 1].name) : '';
  /** A share is drawn inside 0–1, as the table shows it (the raw value is in the tooltip). */
  const clip =
    derived.unit === 'share'
      ? (/** @type {number} */ y) => Math.min(1, Math.max(0, y))
      : (/** @type {number} */ y) => y;
  /** @type {ReturnType<typeof errorBarChart> | null} */
  let chart = null;

  return {
    element: frame.element,
    show(rows, description) {
      const cells = rows.map((row) => rowRatio(derived, group, row.indices));
      let unbounded = 0;
      let unavailable = 0;
      const points = cells.map((cell) => {
        if (cell === undefined) {
          unavailable += 1;
          return NO_BAR;
        }
        if (cell.range === null || cell.value === null) {
          unbounded += 1;
          return NO_BAR;
        }
        return {
          y: clip(f.scale(cell.value)),
          yMin: f.scale(cell.range[0]),
          yMax: f.scale(cell.range[1]),
          text: `${f.ratio(cell.value)} (at least ${level} range ${f.ratio(cell.range[0])} to ${f.ratio(cell.range[1])})`,
        };
      });
      frame.element.setAttribute('data-bars-missing', String(unbounded + unavailable));
      caption.textContent = [
        `${description}.`,
        `Whiskers: the at-least-${level} range of each ratio (both released values within their 95% intervals).`,
        unbounded
          ? `${unbounded} of ${rows.length} have no range and no bar: not estimable at this budget (the denominator may be zero or negative); the table gives each reason.`
          : '',
        unavailable
          ? `This ratio is not available for sums: choose a single value above to chart it.`
          : '',
        frame.fit(rows.length),
      ]
        .filter(Boolean)
        .join(' ');
      canvas.setAttribute(
        'aria-label',
        `Bar chart of ${derived.title.toLowerCase()}: ${description.toLowerCase()}, with range whiskers. The table below lists the same values and the reason for any missing bar.`,
      );
      if (!chartsAvailable()) return;
      const spec = {
        labels: rows.map((r) => r.label),
        points,
        seriesLabel: derived.title,
        xTitle,
        yTitle: f.label,
        unit: derived.unit,
      };
      if (chart) chart.update(spec);
      else chart = errorBarChart(canvas, spec);
    },
    destroy() {
      chart?.destroy();
      chart = null;
    },
  };
}
