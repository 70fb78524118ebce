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
      `${description}. Each value is a noisy release ± its ${summed ? 'approximate ' : ''}95% interval.`,
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
            );
          }),
          group.derived.map((d) => {
            const ratio = rowRatio(d, group, row.indices);
            // The API bounds single cells' ratios (at least 90%: both 95% intervals hold).
            const range = row.indices.length === 1 ? d.intervals?.[row.indices[0]] : undefined;
            return h(
              'td',
              { class: 'num', 'data-derived': d.name },
              typeof ratio === 'string'
                ? [
                    unitFormat(d.unit).ratio(ratio),
                    range
                      ? h(
                          'span',
                          {
                            class: 'interval',
                            'data-ratio-range': '',
                            title: `At least ${Number(d.confidenceLevel ?? '0.9') * 100}% range: both released values within their 95% intervals`,
                          },
                          ` ${formatRatioBound(d.unit, range[0], 'down')} – ${formatRatioBound(d.unit, range[1], 'up')}`,
                        )
                      : null,
                  ]
                : h(
                    'span',
                    {
                      title:
                        ratio === null
                          ? 'No ratio: the noisy denominator is zero or negative'
                          : 'Not available for sums',
                    },
                    '—',
                    h(
                      'span',
                      { class: 'visually-hidden' },
                      ratio === null
                        ? ' (no ratio: the noisy denominator is zero or negative)'
                        : ' (not available for sums)',
                    ),
                  ),
            );
          }),
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
