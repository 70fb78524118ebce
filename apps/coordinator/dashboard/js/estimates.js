/**
 * Post-processed estimates (GET /reports/:id?estimates=true): the words and the CSV, DOM-free so
 * that they are tested as they are. Estimates are never the release: every label says so.
 */

/** The label every surface uses, the API's `estimates.label`. */
export const ESTIMATE_LABEL = 'post-processed estimate';

/**
 * @typedef {object} StatedError
 * @property {string} simulated
 * @property {string} budget
 * @property {number} rawRmse
 * @property {number} estimateRmse
 * @property {number} rawTotalRmse
 * @property {number} estimateTotalRmse
 *
 * @typedef {object} OutputEstimates
 * @property {string} label
 * @property {number[]} [values]
 * @property {StatedError | null} [statedError]
 * @property {string | null} [statedErrorReason]
 * @property {string} [unavailable]
 * @property {string} [note]
 */

/**
 * An estimate for display: cents as dollars, anything else to one decimal (estimates are not
 * counts, so they keep a fraction; rounding here is for reading only).
 * @param {string} unit
 * @param {number} value
 * @returns {string}
 */
export function formatEstimate(unit, value) {
  if (unit === 'cents') {
    return `$${(value / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/**
 * The stated error in one sentence, or why there is none.
 * @param {OutputEstimates} estimates
 * @param {string} unit
 * @returns {string}
 */
export function statedErrorText(estimates, unit) {
  if (estimates.unavailable) return `No ${ESTIMATE_LABEL}: ${estimates.unavailable}.`;
  const s = estimates.statedError;
  if (!s)
    return `Error of the ${ESTIMATE_LABEL}: ${estimates.statedErrorReason ?? 'not measured'}.`;
  return (
    `Error measured by simulation (${s.simulated}): root mean square error per cell ` +
    `${formatEstimate(unit, s.estimateRmse)} for the ${ESTIMATE_LABEL}, ` +
    `${formatEstimate(unit, s.rawRmse)} for the released values; ` +
    `of the grand total ${formatEstimate(unit, s.estimateTotalRmse)} and ` +
    `${formatEstimate(unit, s.rawTotalRmse)}.`
  );
}

/**
 * Every cell of every output that has estimates: axis values, the released value and its 95%
 * half-width, and the post-processed estimate beside them (full precision).
 * @param {{ grid: { name: string, values?: string[] }[], outputs: any[] }} report
 * @returns {string}
 */
export function estimatesCsv(report) {
  const axisValues = new Map(report.grid.map((a) => [a.name, a.values ?? []]));
  /** @type {string[][]} */
  const rows = [
    ['output', 'cell', 'axes', 'released_value', 'interval_half_width', 'post_processed_estimate'],
  ];
  for (const o of report.outputs) {
    const e = o.estimates;
    if (!e?.values) continue;
    const axes = /** @type {string[]} */ (o.axes).map((name) => axisValues.get(name) ?? []);
    const sizes = axes.map((v) => v.length);
    e.values.forEach((/** @type {number} */ value, /** @type {number} */ cell) => {
      let rest = cell;
      const coordinates = sizes.map((_, i) => {
        const stride = sizes.slice(i + 1).reduce((n, s) => n * s, 1);
        const index = Math.floor(rest / stride);
        rest %= stride;
        return `${o.axes[i]}=${axes[i][index] ?? index}`;
      });
      rows.push([
        o.name,
        String(cell),
        coordinates.join(' '),
        o.values[cell],
        o.intervalHalfWidth,
        String(value),
      ]);
    });
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n');
}

/** @param {string} text */
function csvField(text) {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
