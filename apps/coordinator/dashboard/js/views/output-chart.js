/**
 * One output of one slice as a bar chart with ± interval whiskers.
 */
import { chartsAvailable, errorBarChart } from '../charts.js';
import { h, uniqueId } from '../dom.js';
import { humanize, unitFormat } from '../format.js';
import { rowValue } from '../grid.js';

const MAX_BARS = 120;

/**
 * @param {import('../grid.js').ReportOutput} output
 * @param {import('../grid.js').ResultGroup} group
 * @returns {{ element: HTMLElement, show(rows: import('../grid.js').SliceRow[], description: string): void, destroy(): void }}
 */
export function outputChart(output, group) {
  const f = unitFormat(output.unit);
  const level = `${Math.round(Number(output.confidenceLevel) * 100)}%`;
  const headingId = uniqueId('chart');
  const caption = h('p', { class: 'hint' });
  const canvas = /** @type {HTMLCanvasElement} */ (h('canvas', { role: 'img' }));
  const box = h('div', { class: 'chart-box' }, canvas);
  const element = h(
    'figure',
    { class: 'card chart-card', 'aria-labelledby': headingId, 'data-chart': output.name },
    h('h3', { id: headingId }, `${output.title} (${f.label})`),
    caption,
    chartsAvailable()
      ? box
      : h(
          'p',
          { class: 'alert info' },
          'The charting library could not be loaded; the table below lists every value.',
        ),
  );
  const xTitle = group.axes.length ? humanize(group.axes[group.axes.length - 1].name) : '';
  /** @type {ReturnType<typeof errorBarChart> | null} */
  let chart = null;

  return {
    element,
    show(rows, description) {
      const shown = rows.slice(0, MAX_BARS);
      const summed = shown.some((r) => r.indices.length > 1);
      const approximated = shown.some((r) => rowValue(output, r.indices).approximate);
      const points = shown.map((row) => {
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
        rows.length > MAX_BARS ? `The first ${MAX_BARS} of ${rows.length} bars are drawn.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      canvas.setAttribute(
        'aria-label',
        `Bar chart of ${output.title.toLowerCase()}: ${description.toLowerCase()}, with ${level} interval whiskers. The table below lists the same values.`,
      );
      if (!chartsAvailable()) return;
      const spec = {
        labels: shown.map((r) => r.label),
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
