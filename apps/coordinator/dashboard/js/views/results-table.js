/**
 * The released values of one slice as a table: every output's noisy value with its ± interval,
 * and the derived ratios. The accessible counterpart of the charts.
 */
import { h, on, replace } from '../dom.js';
import { formatRatioBound, humanize, unitFormat } from '../format.js';
import { rowRatio, rowValue } from '../grid.js';
import { scrollableTable } from './parts.js';

const FIRST_ROWS = 100;

/**
 * @param {import('../grid.js').ResultGroup} group
 * @param {import('../grid.js').SliceRow[]} rows
 * @param {string} description   what the slice shows, in words
 * @returns {HTMLElement}
 */
export function resultsTable(group, rows, description) {
  const xName = group.axes.length ? humanize(group.axes[group.axes.length - 1].name) : 'Cell';
  const summed = rows.some((r) => r.indices.length > 1);
  const tbody = h('tbody');
  const more = h('div', { class: 'row' });
  const table = h(
    'table',
    { 'data-results-table': '' },
    h(
      'caption',
      null,
      `${description}. Each value is a noisy release ± its 95% interval${summed ? ' (for sums, the exact interval of the sum)' : ''}; ratios carry an at-least-90% range or the reason they have none.`,
      summed && group.derived.some((d) => !d.numerator)
        ? ' Ratios are shown for single cells only.'
        : '',
    ),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, xName),
        group.outputs.map((o) =>
          h('th', { scope: 'col', class: 'num' }, `${o.title} (${unitFormat(o.unit).label})`),
        ),
        group.derived.map((d) =>
          h('th', { scope: 'col', class: 'num' }, `${d.title} (${unitFormat(d.unit).label})`),
        ),
      ),
    ),
    tbody,
  );

  /** @param {number} limit */
  function fill(limit) {
    replace(
      tbody,
      rows.slice(0, limit).map((row) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, row.label),
          group.outputs.map((o) => {
            const f = unitFormat(o.unit);
            const { value, halfWidth } = rowValue(o, row.indices);
            return h(
              'td',
              { class: 'num', 'data-output': o.name },
              f.value(value),
              ' ',
              h('span', { class: 'interval' }, `± ${f.value(halfWidth)}`),
              // A count below zero is noise around a small total: shown as released (sums of
              // released values stay unbiased), flagged so nobody reads it as a real figure.
              value < 0n
                ? h('span', { class: 'note', 'data-negative': '' }, ' below 0: noise')
                : null,
            );
          }),
          group.derived.map((d) => ratioTd(d, rowRatio(d, group, row.indices))),
        ),
      ),
    );
    if (rows.length > limit) {
      const button = h(
        'button',
        { type: 'button', class: 'button secondary' },
        `Show all ${rows.length} rows`,
      );
      on(button, 'click', () => fill(rows.length));
      replace(
        more,
        h('span', { class: 'muted' }, `Showing ${limit} of ${rows.length} rows.`),
        button,
      );
    } else replace(more);
  }
  fill(FIRST_ROWS);
  return h('div', null, scrollableTable(`Table: ${description}`, table), more);
}

/**
 * One ratio cell: the ratio with its range, or "not estimable at this budget" with the reason in
 * plain view (not only for screen readers). A share outside 0–1 is shown clipped, with the raw
 * value beside it and a note.
 * @param {import('../grid.js').ReportDerived} d
 * @param {import('../ratio.js').RatioCell | undefined} cell
 * @returns {HTMLElement}
 */
function ratioTd(d, cell) {
  const f = unitFormat(d.unit);
  if (cell === undefined) {
    return h(
      'td',
      { class: 'num', 'data-derived': d.name },
      h('span', { class: 'note', 'data-ratio-reason': '' }, 'not available for sums'),
    );
  }
  if (cell.range === null || cell.value === null) {
    return h(
      'td',
      { class: 'num', 'data-derived': d.name },
      h('strong', null, 'not estimable at this budget'),
      h(
        'span',
        { class: 'note', 'data-ratio-reason': '' },
        ` ${cell.reason ?? 'the denominator is zero or negative'}`,
      ),
    );
  }
  const outside = d.unit === 'share' && (Number(cell.value) < 0 || Number(cell.value) > 1);
  const shown = outside ? (Number(cell.value) < 0 ? '0.0000' : '1.0000') : cell.value;
  return h(
    'td',
    { class: 'num', 'data-derived': d.name },
    f.ratio(shown),
    h(
      'span',
      {
        class: 'interval',
        'data-ratio-range': '',
        title: `At least ${Number(d.confidenceLevel ?? '0.9') * 100}% range: both released values within their 95% intervals`,
      },
      ` ${formatRatioBound(d.unit, cell.range[0], 'down')} – ${formatRatioBound(d.unit, cell.range[1], 'up')}`,
    ),
    outside
      ? h(
          'span',
          { class: 'note', 'data-share-clipped': cell.value },
          ` (released ratio ${f.ratio(cell.value)}: a share lies between 0 and 1, so it is shown clipped)`,
        )
      : null,
  );
}
