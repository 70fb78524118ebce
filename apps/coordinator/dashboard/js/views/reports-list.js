/**
 * Recent reports, newest first; refreshes itself while any of them is still running.
 */
import { h, on, replace } from '../dom.js';
import { formatTime, humanize } from '../format.js';
import { budgetKind, isFinal, stateLabel, stateTone } from '../privacy.js';
import { canRequestReports } from '../role.js';
import { reportHref } from '../router.js';
import { isAbort, loading, problemAlert, scrollableTable, sleep, viewHeader } from './parts.js';

/**
 * @param {import('../main.js').ViewContext} ctx
 * @returns {import('../main.js').View}
 */
export function reportsListView(ctx) {
  const refresh = h('button', { type: 'button', class: 'button secondary' }, 'Refresh');
  const header = viewHeader('Reports', refresh);
  const body = h('div', null, loading('Loading reports…'));
  const element = h('div', null, header.element, body);
  let wake = () => {};

  async function load() {
    while (!ctx.signal.aborted) {
      let running = false;
      try {
        /** @type {any[]} */
        const reports = await ctx.api.get('/reports?limit=50', { signal: ctx.signal });
        replace(body, reports.length === 0 ? emptyState(ctx) : reportsTable(reports));
        running = reports.some((r) => !isFinal(r.state));
      } catch (error) {
        if (isAbort(error, ctx.signal)) return;
        replace(body, problemAlert(error, 'Loading reports'));
      }
      // Poll while something is running; otherwise wait for the Refresh button.
      const pause = new AbortController();
      wake = () => pause.abort();
      const leave = () => pause.abort();
      ctx.signal.addEventListener('abort', leave, { once: true });
      await sleep(running ? 2000 : 24 * 3600 * 1000, pause.signal);
      ctx.signal.removeEventListener('abort', leave);
    }
  }
  on(refresh, 'click', () => wake());
  void load();
  return { title: 'Reports', element, heading: header.heading };
}

/** @param {import('../main.js').ViewContext} ctx */
function emptyState(ctx) {
  return h(
    'p',
    null,
    'No reports yet. ',
    canRequestReports(ctx.role)
      ? h('a', { href: '#/catalogue' }, 'Request one from the catalogue.')
      : 'Analysts request reports from the catalogue.',
  );
}

/** @param {any[]} reports */
function reportsTable(reports) {
  return scrollableTable(
    'Reports',
    h(
      'table',
      null,
      h('caption', null, `The ${reports.length} most recent reports, newest first.`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Requested', 'Report', 'Parameters', 'Budget', 'State', 'By'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        reports.map((r) => {
          const parameters = Object.entries(r.parameters ?? {}).map(
            ([k, v]) => `${humanize(k)} ${v}`,
          );
          return h(
            'tr',
            { 'data-report-id': r.id },
            h('td', null, formatTime(r.createdAt)),
            h(
              'td',
              { class: 'wide' },
              h(
                'a',
                { href: reportHref(r.id) },
                r.protocol?.title ?? r.protocol?.id ?? r.id,
                h('span', { class: 'visually-hidden' }, `, ${parameters.join(', ')}`),
              ),
            ),
            h('td', null, parameters.join(', ')),
            h(
              'td',
              null,
              `${budgetKind(r.budget?.mechanism ?? '').symbol} = ${r.budget?.value ?? '?'}`,
            ),
            h('td', null, h('span', { class: stateTone(r.state) }, stateLabel(r.state))),
            h('td', null, r.requestedBy ?? ''),
          );
        }),
      ),
    ),
  );
}
