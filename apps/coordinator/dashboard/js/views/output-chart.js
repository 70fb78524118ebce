/**
 * One output of one slice as a bar chart with ± interval whiskers: every bar of the slice.
 */
import { chartsAvailable, errorBarChart } from '../charts.js';
import { humanize, unitFormat } from '../format.js';
import { rowValue } from '../grid.js';
import { chartFrame } from './chart-frame.js';

/**
 * @param {import('../grid.js').ReportOutput} output
 * @param {import('../grid.js').ResultGroup} group
 * @returns {{ element: HTMLElement, show(rows: import('../grid.js').SliceRow[], description: string): void, destroy(): void }}
 */
export function outputChart(output, group) {
  const f = unitFormat(output.unit);
  const level = `${Math.round(Number(output.confidenceLevel) * 100)}%`;
  const frame = chartFrame(`${output.title} (${f.label})`, {
    'data-chart': output.name,
    'data-chart-kind': 'output',
  });
  const { caption, canvas } = frame;
  const xTitle = group.axes.length ? humanize(group.axes[group.axes.length - 1].name) : '';
  /** @type {ReturnType<typeof errorBarChart> | null} */
  let chart = null;

  return {
    element: frame.element,
    show(rows, description) {
      const summed = rows.some((r) => r.indices.length > 1);
      const approximated = rows.some((r) => rowValue(output, r.indices).approximate);
      const points = rows.map((row) => {
        const { value, halfWidth, approximate } = rowValue(output, row.indices);
        return {
          y: f.scale(value),
          yMin: f.scale(value - halfWidth),
          yMax: f.scale(value + halfWidth),
          text: `${f.value(value)} ± ${f.value(halfWidth)} (${approximate ? 'approximate ' : ''}${level} interval ${f.value(value - halfWidth)} to ${f.value(value + halfWidth)})`,
        };
      });
      const halfWidth = f.value(BigInt(output.intervalHalfWidth));
      caption.textContent = [
        `${description}.`,
        summed
          ? approximated
            ? `Whiskers: approximate ${level} intervals of the sums (each cell’s ±${halfWidth} grows with the square root of the number of cells summed).`
            : `Whiskers: the exact ${level} intervals of the sums, from the convolution of the summed cells’ noise.`
          : `Whiskers: the ${level} interval, ±${halfWidth} on every bar.`,
        frame.fit(rows.length),
      ]
        .filter(Boolean)
        .join(' ');
      canvas.setAttribute(
        'aria-label',
        `Bar chart of ${output.title.toLowerCase()}: ${description.toLowerCase()}, with ${level} interval whiskers. The table below lists the same values.`,
      );
      if (!chartsAvailable()) return;
      const spec = {
        labels: rows.map((r) => r.label),
        points,
        seriesLabel: output.title,
        xTitle,
        yTitle: f.label,
        unit: output.unit,
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
