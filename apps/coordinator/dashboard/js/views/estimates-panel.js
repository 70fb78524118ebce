/**
 * Post-processed estimates beside a completed report's release (docs/privacy.md,
 * 'Post-processed estimates'): off by default; a toggle asks the API for them, and each output
 * then shows its released values beside the estimates, clearly labelled, with the error measured
 * by simulation, and a CSV of both.
 */
import { download } from '../csv.js';
import { h, on, replace, uniqueId } from '../dom.js';
import { formatInteger, humanize } from '../format.js';
import { ESTIMATE_LABEL, estimatesCsv, formatEstimate, statedErrorText } from '../estimates.js';
import { problemAlert, scrollableTable, section } from './parts.js';

const FIRST_ROWS = 50;

/**
 * @param {any} report  a completed report
 * @param {{ api: import('../api.js').Api, signal: AbortSignal }} ctx
 * @returns {HTMLElement}
 */
export function estimatesSection(report, ctx) {
  const id = uniqueId('estimates-toggle');
  const holder = h('div', { class: 'stack', 'aria-live': 'polite' });
  const toggle = /** @type {HTMLInputElement} */ (
    h('input', { type: 'checkbox', id, 'data-estimates-toggle': '' })
  );
  on(toggle, 'change', async () => {
    if (!toggle.checked) return replace(holder);
    replace(holder, h('p', { class: 'muted', role: 'status' }, 'Computing estimates…'));
    try {
      const withThem = await ctx.api.get(`/reports/${report.id}?estimates=true`, {
        signal: ctx.signal,
      });
      if (toggle.checked) replace(holder, outputsView(withThem));
    } catch (error) {
      replace(holder, problemAlert(error, 'Estimates could not be loaded'));
    }
  });
  return section(
    'Post-processed estimates (optional)',
    h(
      'p',
      { class: 'explain' },
      'Estimates computed from the released values alone, at no privacy cost: never below zero, and adding up to the released route, hour and grand totals (negative totals become zero). They are not the release: the values above and their 95% intervals are. The intervals do not apply to estimates; the error stated beside them was measured by simulation on the synthetic city. See docs/privacy.md, “Post-processed estimates”.',
    ),
    h('div', { class: 'row' }, toggle, h('label', { for: id }, `Show ${ESTIMATE_LABEL}s`)),
    holder,
  );
}

/** @param {any} report */
function outputsView(report) {
  const csvButton = h(
    'button',
    { type: 'button', class: 'button secondary' },
    `Download ${ESTIMATE_LABEL}s (CSV)`,
  );
  on(csvButton, 'click', () =>
    download(`${report.protocol?.id ?? 'report'}-${report.id}-estimates.csv`, estimatesCsv(report)),
  );
  const axisValues = new Map(report.grid.map((/** @type {any} */ a) => [a.name, a.values ?? []]));
  return h(
    'div',
    { class: 'stack', 'data-estimates': '' },
    report.outputs.map((/** @type {any} */ o) => outputView(o, axisValues)),
    h('div', { class: 'row' }, csvButton),
  );
}

/**
 * @param {any} o
 * @param {Map<string, string[]>} axisValues
 */
function outputView(o, axisValues) {
  const e = o.estimates;
  const heading = h('h3', null, `${o.title}: ${ESTIMATE_LABEL}s`);
  const stated = h('p', { 'data-stated-error': '' }, statedErrorText(e, o.unit));
  if (!e?.values) return h('div', { class: 'stack' }, heading, stated);
  const axes = /** @type {string[]} */ (o.axes).map((name) => axisValues.get(name) ?? []);
  const sizes = axes.map((v) => v.length);
  /** @param {number} cell */
  const label = (cell) => {
    let rest = cell;
    return sizes
      .map((_, i) => {
        const stride = sizes.slice(i + 1).reduce((n, s) => n * s, 1);
        const index = Math.floor(rest / stride);
        rest %= stride;
        return `${humanize(o.axes[i])} ${axes[i][index] ?? index}`;
      })
      .join(', ');
  };
  const shown = Math.min(FIRST_ROWS, e.values.length);
  const table = h(
    'table',
    { 'data-estimates-table': o.name },
    h(
      'caption',
      null,
      `${o.title}: released value ± 95% interval beside the ${ESTIMATE_LABEL} (first ${shown} of ${e.values.length} cells; all of them in the CSV).`,
    ),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Cell'),
        h('th', { scope: 'col', class: 'num' }, 'Released value (the release)'),
        h('th', { scope: 'col', class: 'num' }, 'Post-processed estimate (not the release)'),
      ),
    ),
    h(
      'tbody',
      null,
      e.values
        .slice(0, shown)
        .map((/** @type {number} */ v, /** @type {number} */ cell) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, label(cell)),
            h(
              'td',
              { class: 'num' },
              `${formatInteger(o.values[cell])} ± ${formatInteger(o.intervalHalfWidth)}`,
            ),
            h('td', { class: 'num' }, formatEstimate(o.unit, v)),
          ),
        ),
    ),
  );
  return h(
    'div',
    { class: 'stack' },
    heading,
    stated,
    scrollableTable(`${o.title} ${ESTIMATE_LABEL}s`, table),
  );
}
