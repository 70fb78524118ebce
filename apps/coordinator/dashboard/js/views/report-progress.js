/**
 * The steps of a session as the report's progress counters show them: invited → keys → noise
 * committed → rounds → results → sealed.
 */
import { h, replace } from '../dom.js';
import { formatInteger } from '../format.js';

const PARTIES = 3;

/**
 * @typedef {'done' | 'active' | 'failed' | 'pending'} StepStatus
 * @typedef {{ key: string, label: string, detail: string, status: StepStatus }} Step
 */

/**
 * @param {{ state: string, queuePosition?: number | null, progress?: { accepted: number, committed: number, envelopes: number, resultsReported: number, sealed: number } }} report
 * @returns {Step[]}
 */
export function progressSteps(report) {
  const p = report.progress ?? {
    accepted: 0,
    committed: 0,
    envelopes: 0,
    resultsReported: 0,
    sealed: 0,
  };
  const { state } = report;
  const released = state === 'sealing' || state === 'completed';
  /** @type {[string, string, boolean, string][]} */
  const raw = [
    [
      'invited',
      'Agencies invited',
      state !== 'created',
      state !== 'created'
        ? 'The three agency nodes were asked to take part'
        : typeof report.queuePosition === 'number'
          ? `Waiting to start: number ${report.queuePosition} in the queue`
          : 'Not yet',
    ],
    [
      'keys',
      'Keys exchanged',
      p.accepted >= PARTIES,
      `${p.accepted} of ${PARTIES} agencies accepted`,
    ],
    [
      'noise',
      'Noise committed',
      p.committed >= PARTIES,
      `${p.committed} of ${PARTIES} agencies fixed their noise`,
    ],
    [
      'rounds',
      'Computation rounds',
      p.resultsReported > 0 || released,
      `${formatInteger(String(p.envelopes))} encrypted envelopes relayed`,
    ],
    [
      'results',
      'Results agreed',
      p.resultsReported >= PARTIES || released,
      `${p.resultsReported} of ${PARTIES} agencies reported the same result`,
    ],
    [
      'sealed',
      'Transcript sealed',
      p.sealed >= PARTIES,
      `${p.sealed} of ${PARTIES} agencies signed`,
    ],
  ];
  const completed = state === 'completed';
  const aborted = state === 'aborted';
  let reachedOpen = false;
  return raw.map(([key, label, done, detail]) => {
    /** @type {StepStatus} */
    let status = 'pending';
    if (done || completed) status = 'done';
    else if (!reachedOpen) {
      status = aborted ? 'failed' : 'active';
      reachedOpen = true;
    }
    return { key, label, detail, status };
  });
}

/** @type {Record<StepStatus, string>} */
const SPOKEN = {
  done: 'done',
  active: 'in progress',
  failed: 'stopped here',
  pending: 'not started',
};

/**
 * Renders the steps into `list` (an <ol>), replacing what was there.
 * @param {HTMLElement} list
 * @param {Parameters<typeof progressSteps>[0]} report
 */
export function renderProgress(list, report) {
  replace(
    list,
    progressSteps(report).map((step) =>
      h(
        'li',
        { class: 'step', 'data-step': step.key, 'data-status': step.status },
        h('span', { class: 'step-label' }, step.label),
        h('span', { class: 'visually-hidden' }, `: ${SPOKEN[step.status]}. `),
        h('span', { class: 'step-detail' }, step.detail),
      ),
    ),
  );
}
