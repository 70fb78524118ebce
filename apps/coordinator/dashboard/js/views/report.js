/**
 * One report: watches the session live (polling every 500 ms until it completes or aborts), then
 * shows its results, the privacy it spent, and its transcript's verification.
 */
import { ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { formatTime, humanize, shortHash } from '../format.js';
import { abortExplanation, isFinal, stateLabel, stateTone } from '../privacy.js';
import { verdictOf } from '../verification.js';
import { reportHref } from '../router.js';
import { isAbort, loading, problemAlert, section, sleep, viewHeader } from './parts.js';
import { renderProgress } from './report-progress.js';
import { privacySection } from './report-privacy.js';
import { resultsSection } from './report-results.js';
import { estimatesSection } from './estimates-panel.js';

const POLL_MS = 500;

/**
 * @param {import('../main.js').ViewContext} ctx
 * @param {Record<string, string>} params
 * @returns {import('../main.js').View}
 */
export function reportView(ctx, { id }) {
  const header = viewHeader('Report');
  const stateBadge = h('span', { class: 'badge', 'data-report-state': '' }, '…');
  header.element.appendChild(stateBadge);
  const facts = h('dl', { class: 'facts' });
  const connection = h('div');
  const steps = h('ol', { class: 'steps', 'aria-label': 'Session progress' });
  const outcome = h('div', { class: 'stack' }, loading('Loading the report…'));
  const element = h(
    'div',
    { class: 'stack', 'data-report-id': id },
    header.element,
    facts,
    connection,
    section('Progress', steps),
    outcome,
  );
  /** @type {(() => void)[]} */
  const disposers = [];
  let lastState = '';

  /** @param {any} report */
  function update(report) {
    header.heading.textContent = report.protocol?.title ?? 'Report';
    document.title = `${header.heading.textContent} · Concord`;
    stateBadge.className = stateTone(report.state);
    stateBadge.textContent = stateLabel(report.state);
    stateBadge.setAttribute('data-report-state', report.state);
    replace(facts, reportFacts(report));
    renderProgress(steps, report);
    if (report.state !== lastState) {
      if (lastState) ctx.announce(`Report ${stateLabel(report.state).toLowerCase()}.`);
      lastState = report.state;
    }
  }

  /** @param {any} report */
  function showOutcome(report) {
    /** @type {HTMLElement[]} */
    const parts = [];
    if (report.state === 'aborted') parts.push(abortBox(report));
    if (report.state === 'completed') {
      const results = resultsSection(report, ctx.api);
      disposers.push(results.destroy);
      parts.push(results.element, estimatesSection(report, ctx));
    }
    parts.push(privacySection(report));
    if (isFinal(report.state)) parts.push(transcriptSection(report, ctx));
    else
      parts.push(
        h(
          'p',
          { class: 'muted', role: 'status' },
          'The session is running; results appear here when it completes.',
        ),
      );
    replace(outcome, parts);
  }

  async function watch() {
    let failures = 0;
    let shownRunning = false;
    while (!ctx.signal.aborted) {
      /** @type {any} */
      let report;
      try {
        report = await ctx.api.get(`/reports/${id}`, { signal: ctx.signal });
        failures = 0;
        replace(connection);
      } catch (error) {
        if (isAbort(error, ctx.signal)) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
          replace(outcome, problemAlert(error, 'This report could not be found'));
          return;
        }
        failures += 1;
        replace(
          connection,
          h(
            'div',
            { class: 'alert info', role: 'status' },
            `Lost contact with the coordinator (${error instanceof Error ? error.message : 'unknown error'}); retrying…`,
          ),
        );
        await sleep(Math.min(5000, POLL_MS * 2 ** failures), ctx.signal);
        continue;
      }
      update(report);
      if (isFinal(report.state)) {
        showOutcome(report);
        return;
      }
      if (!shownRunning) {
        showOutcome(report);
        shownRunning = true;
      }
      await sleep(POLL_MS, ctx.signal);
    }
  }
  void watch();
  return {
    title: 'Report',
    element,
    heading: header.heading,
    destroy: () => disposers.forEach((d) => d()),
  };
}

/** @param {any} report */
function reportFacts(report) {
  const parameters = Object.entries(report.parameters ?? {})
    .map(([k, v]) => `${humanize(k)} ${v}`)
    .join(', ');
  return [
    h('dt', null, 'Parameters'),
    h('dd', null, parameters || 'none'),
    h('dt', null, 'Requested by'),
    h('dd', null, `${report.requestedBy ?? '?'}, ${formatTime(report.createdAt)}`),
    h('dt', null, 'Finished'),
    h('dd', null, formatTime(report.completedAt)),
    h('dt', null, 'Protocol'),
    h(
      'dd',
      null,
      `${report.protocol?.id ?? '?'} ${report.protocol?.version ?? ''} · `,
      h('code', { title: report.protocol?.hash ?? '' }, shortHash(report.protocol?.hash ?? '', 16)),
    ),
    h('dt', null, 'Report id'),
    h('dd', null, h('code', null, report.id)),
  ];
}

/** @param {any} report */
function abortBox(report) {
  const error = report.error ?? { code: 'unknown', message: '' };
  return h(
    'div',
    { class: 'alert bad', role: 'alert', 'data-abort-code': error.code },
    h('p', { class: 'alert-title' }, `The session was aborted: ${error.code}`),
    h('p', null, abortExplanation(error.code)),
    error.message ? h('p', null, 'Details: ', h('code', null, error.message)) : null,
    h('p', null, 'No values were released by this session.'),
  );
}

/**
 * The transcript's head, its seals and the coordinator's verification verdict.
 * @param {any} report
 * @param {import('../main.js').ViewContext} ctx
 */
function transcriptSection(report, ctx) {
  const verdict = h('div', { role: 'status' }, 'Checking the transcript…');
  ctx.api
    .get(`/sessions/${report.id}/verification`, { signal: ctx.signal })
    .then((/** @type {import('../verification.js').Verification} */ v) => {
      const result = verdictOf(v);
      replace(
        verdict,
        h(
          'p',
          null,
          h(
            'span',
            {
              class: result.state === 'failed' ? 'badge bad' : 'badge ok',
              'data-verified': String(v.ok),
              'data-verdict': result.state,
            },
            result.label,
          ),
          ` ${result.summary}`,
        ),
        result.lines.map((line) => h('p', null, line)),
        result.failed.length
          ? h(
              'ul',
              null,
              result.failed.map((c) => h('li', null, h('strong', null, c.name), `: ${c.detail}`)),
            )
          : null,
      );
    })
    .catch((error) => {
      if (!isAbort(error, ctx.signal)) replace(verdict, problemAlert(error, 'Verification'));
    });
  const sealedBy = /** @type {string[]} */ (report.transcript?.sealedBy ?? []);
  return section(
    'Transcript',
    h(
      'p',
      null,
      'Every step of the session is recorded in a hash-chained transcript that the three agencies sign when it ends. Auditors can check it offline.',
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Head hash'),
      h('dd', null, h('code', { class: 'key' }, report.transcript?.head ?? 'none')),
      h('dt', null, 'Sealed by'),
      h('dd', null, sealedBy.length ? sealedBy.join(', ') : 'no agency yet'),
    ),
    verdict,
    h(
      'p',
      null,
      h('a', { href: reportHref(report.id, 'transcript') }, 'Browse the transcript and its checks'),
    ),
  );
}
