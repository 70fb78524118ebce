/**
 * Bar charts with error bars: Chart.js and chartjs-chart-error-bars, loaded as classic scripts
 * from /vendor (index.html) and registered here once.
 */
import { formatTick } from './format.js';

let registered = false;

/** @returns {any} the Chart constructor, or null when the libraries did not load */
function chartLibrary() {
  const { Chart, ChartErrorBars } = /** @type {any} */ (globalThis);
  if (!Chart || !ChartErrorBars) return null;
  if (!registered) {
    Chart.register(ChartErrorBars.BarWithErrorBarsController, ChartErrorBars.BarWithErrorBar);
    registered = true;
  }
  return Chart;
}

/** @returns {boolean} */
export function chartsAvailable() {
  return chartLibrary() !== null;
}

/**
 * @typedef {object} BarPoint
 * @property {number} y       the released value, in chart units
 * @property {number} yMin    the interval's lower end
 * @property {number} yMax    the interval's upper end
 * @property {string} text    the tooltip line
 *
 * @typedef {object} BarChartSpec
 * @property {string[]} labels
 * @property {BarPoint[]} points   y NaN: no bar (a ratio without a range)
 * @property {string} seriesLabel
 * @property {string} xTitle
 * @property {string} yTitle
 * @property {string} unit     the API unit, for tick formatting
 */

/**
 * Draws one bar series with ± interval whiskers on `canvas`.
 * @param {HTMLCanvasElement} canvas
 * @param {BarChartSpec} spec
 * @returns {{ update(spec: BarChartSpec): void, destroy(): void }}
 */
export function errorBarChart(canvas, spec) {
  const Chart = chartLibrary();
  if (!Chart) throw new Error('the charting library is not loaded');
  const colors = themeColors();
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const chart = new Chart(canvas, {
    type: 'barWithErrorBars',
    data: dataOf(spec, colors),
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 250 },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            /** @param {{ raw: BarPoint }} item */
            label: (item) => item.raw.text,
          },
        },
      },
      scales: {
        x: {
          title: { display: true, text: spec.xTitle, color: colors.text },
          ticks: { color: colors.text, autoSkip: true, maxRotation: 0 },
          grid: { display: false },
        },
        y: {
          title: { display: true, text: spec.yTitle, color: colors.text },
          ticks: {
            color: colors.text,
            /** @param {number | string} value */
            callback: (value) => formatTick(spec.unit, Number(value)),
          },
          grid: {
            // Zero is a real value here (noise can push a release below it): draw it firmly.
            /** @param {{ tick?: { value: number } }} context */
            color: (context) => (context.tick?.value === 0 ? colors.zero : colors.grid),
            /** @param {{ tick?: { value: number } }} context */
            lineWidth: (context) => (context.tick?.value === 0 ? 2 : 1),
          },
        },
      },
    },
  });
  return {
    update(next) {
      chart.data = dataOf(next, colors);
      chart.options.scales.x.title.text = next.xTitle;
      chart.update();
    },
    destroy() {
      chart.destroy();
    },
  };
}

/**
 * @param {BarChartSpec} spec
 * @param {ReturnType<typeof themeColors>} colors
 */
function dataOf(spec, colors) {
  return {
    labels: spec.labels,
    datasets: [
      {
        label: spec.seriesLabel,
        data: spec.points,
        backgroundColor: colors.bar,
        borderColor: colors.barBorder,
        borderWidth: 1,
        errorBarColor: colors.error,
        errorBarWhiskerColor: colors.error,
        errorBarLineWidth: 1.5,
        errorBarWhiskerLineWidth: 1.5,
        errorBarWhiskerRatio: 0.3,
      },
    ],
  };
}

/** Colours from the stylesheet, so charts follow light and dark themes. */
function themeColors() {
  const style = getComputedStyle(document.documentElement);
  /** @param {string} name @param {string} fallback */
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    bar: read('--chart-bar', 'rgba(31, 95, 191, 0.72)'),
    barBorder: read('--chart-bar-border', '#1f5fbf'),
    error: read('--chart-error', '#1b1f24'),
    grid: read('--chart-grid', 'rgba(0, 0, 0, 0.1)'),
    zero: read('--chart-zero', 'rgba(0, 0, 0, 0.7)'),
    text: read('--chart-text', '#535b66'),
  };
}
