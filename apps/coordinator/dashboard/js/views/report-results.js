/**
 * A completed report's results: for each group of outputs over the same axes, a slice selector,
 * one chart per output and a table of the same slice, plus a CSV of every cell.
 */
import { download, groupCsv } from '../csv.js';
import { h, on, replace, uniqueId } from '../dom.js';
import { humanize } from '../format.js';
import { ALL, resultGroups, sliceRows } from '../grid.js';
import { outputChart } from './output-chart.js';
import { ratioChart } from './ratio-chart.js';
import { resultsTable } from './results-table.js';

/**
 * @param {any} report  a completed report from GET /reports/:id
 * @param {import('../api.js').Api} api
 * @returns {{ element: HTMLElement, destroy(): void }}
 */
export function resultsSection(report, api) {
  const groups = resultGroups(report);
  /** @type {(() => void)[]} */
  const disposers = [];
  const headingId = uniqueId('results');
  const element = h(
    'section',
    { class: 'stack', 'aria-labelledby': headingId, 'data-results': '' },
    h('h2', { id: headingId }, 'Results'),
    h(
      'div',
      { class: 'explain' },
      h(
        'p',
        null,
        'These figures are the release. Each is the agencies’ joint total plus random noise that the agencies added inside the computation, so that no single rider’s trips can be singled out. There is no exact figure behind them to look up.',
      ),
      h(
        'p',
        null,
        'Bars show the noisy values; whiskers and “±” show the 95% interval: the true total lies within that distance of the released value with 95% probability. Small totals can come out as zero or below zero because of the noise; they are shown as released.',
      ),
    ),
    groups.length === 0 ? h('p', null, 'This report released no values.') : null,
    groups.map((group, i) => groupView(report, group, i, disposers)),
    groups.length === 0 ? null : releaseDownloads(report, api),
  );
  return { element, destroy: () => disposers.forEach((d) => d()) };
}

/**
 * The whole release as the coordinator serves it (`GET /reports/:id/download`): every output's
 * cells in long form, checked there against the digest the agencies sealed. For large reports
 * this is the fast way out; the per-group CSV above adds the ratios.
 * @param {any} report
 * @param {import('../api.js').Api} api
 */
function releaseDownloads(report, api) {
  const status = h('span', { class: 'hint', role: 'status', 'data-download-status': '' });
  const base = `${report.protocol?.id ?? 'report'}-${report.id}`;
  /** @param {'csv' | 'arrow'} format @param {string} label */
  const button = (format, label) => {
    const b = /** @type {HTMLButtonElement} */ (
      h('button', { type: 'button', class: 'button secondary', 'data-download': format }, label)
    );
    // The coordinator's names: `.arrows` is the Arrow stream format's registered extension.
    const filename = `${base}.${format === 'arrow' ? 'arrows' : 'csv'}`;
    on(b, 'click', async () => {
      b.disabled = true;
      status.textContent = 'Downloading…';
      try {
        const file = await api.blob(`/reports/${report.id}/download?format=${format}`);
        download(filename, file);
        status.textContent = `Downloaded ${filename}.`;
      } catch (error) {
        status.textContent = `The download failed: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return h(
    'div',
    { class: 'row' },
    button('csv', 'Download the sealed release (CSV)'),
    button('arrow', 'Download the sealed release (Apache Arrow)'),
    status,
  );
}

/**
 * @param {any} report
 * @param {import('../grid.js').ResultGroup} group
 * @param {number} index
 * @param {(() => void)[]} disposers
 * @returns {HTMLElement}
 */
function groupView(report, group, index, disposers) {
  const fixedAxes = group.axes.slice(0, -1);
  /** @type {number[]} */
  const selection = fixedAxes.map((a) => a.order[0] ?? 0);
  // A chart for every output and every derived ratio, each of the whole slice.
  const charts = [
    ...group.outputs.map((o) => outputChart(o, group)),
    ...group.derived.map((d) => ratioChart(d, group)),
  ];
  disposers.push(() => charts.forEach((c) => c.destroy()));
  const tableHolder = h('div');

  const selectors = fixedAxes.map((axis, i) => {
    const id = uniqueId(`slice-${axis.name}`);
    const select = /** @type {HTMLSelectElement} */ (
      h(
        'select',
        { id, name: axis.name },
        axis.order.map((v) => h('option', { value: String(v) }, axis.values[v])),
        h(
          'option',
          { value: String(ALL) },
          `All ${plural(humanize(axis.name).toLowerCase())} (sum)`,
        ),
      )
    );
    on(select, 'change', () => {
      selection[i] = Number(select.value);
      show();
    });
    return h('div', { class: 'field' }, h('label', { for: id }, humanize(axis.name)), select);
  });

  function show() {
    const rows = sliceRows(group, selection);
    const description = describe(group, selection);
    for (const chart of charts) chart.show(rows, description);
    replace(tableHolder, resultsTable(group, rows, description));
  }

  const csvButton = h(
    'button',
    { type: 'button', class: 'button secondary' },
    'Download all cells (CSV)',
  );
  on(csvButton, 'click', () =>
    download(
      `${report.protocol?.id ?? 'report'}-${report.id}${index ? `-${index + 1}` : ''}.csv`,
      groupCsv(group),
    ),
  );

  const element = h(
    'div',
    { class: 'stack' },
    selectors.length
      ? h(
          'div',
          { class: 'slicer', role: 'group', 'aria-label': 'Which slice to show' },
          selectors,
          h(
            'p',
            { class: 'hint' },
            `Charts and table show one ${fixedAxes.map((a) => humanize(a.name).toLowerCase()).join(' and ')} at a time, by ${humanize(group.axes[group.axes.length - 1].name).toLowerCase()}; choose “All” to add them up.`,
          ),
        )
      : null,
    h(
      'div',
      { class: 'grid' },
      charts.map((c) => c.element),
    ),
    tableHolder,
    h(
      'div',
      { class: 'row' },
      csvButton,
      h('span', { class: 'hint' }, `${group.cells} cells, every output and ratio.`),
    ),
  );
  // Charts measure their container, so draw once the section is in the page.
  requestAnimationFrame(show);
  return element;
}

/**
 * @param {import('../grid.js').ResultGroup} group
 * @param {number[]} selection
 * @returns {string}
 */
function describe(group, selection) {
  if (group.axes.length === 0) return 'The total';
  const x = humanize(group.axes[group.axes.length - 1].name).toLowerCase();
  const fixed = group.axes
    .slice(0, -1)
    .map((axis, i) =>
      selection[i] === ALL
        ? `summed over all ${plural(humanize(axis.name).toLowerCase())}`
        : `${humanize(axis.name)} ${axis.values[selection[i]]}`,
    );
  if (fixed.length === 0) return `By ${x}`;
  const text = `${fixed.join(', ')}, by ${x}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @param {string} noun */
function plural(noun) {
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}
