/**
 * Small building blocks shared by the views: headings, loading and error boxes, scrollable
 * tables, abortable waits.
 */
import { ApiError } from '../api.js';
import { h, uniqueId } from '../dom.js';

/**
 * A view's heading row. The h1 takes focus after navigation (tabindex -1).
 * @param {string} title
 * @param {...(Node | string | null | false)} extras
 * @returns {{ element: HTMLElement, heading: HTMLElement }}
 */
export function viewHeader(title, ...extras) {
  const heading = h('h1', { tabindex: -1 }, title);
  return { element: h('div', { class: 'view-header' }, heading, ...extras), heading };
}

/**
 * @param {string} text
 * @returns {HTMLElement}
 */
export function loading(text) {
  return h('p', { class: 'muted', role: 'status' }, text);
}

/** Plain-language titles for the API's problem codes. */
const TITLES = /** @type {Record<string, string>} */ ({
  unauthorized: 'Your token was not accepted',
  forbidden: 'Your role does not allow this',
  'budget-exhausted': 'Not enough privacy budget is left for this request',
  'rate-limited': 'Too many requests: wait a minute and try again',
  'not-found': 'Not found',
  'unknown-protocol': 'This protocol is not in the catalogue',
  'invalid-parameters': 'The parameters do not fit this protocol',
  'invalid-budget': 'The budget does not fit this protocol',
  'agencies-not-registered': 'The consortium is not fully registered on the coordinator',
  network: 'The coordinator could not be reached',
  'internal-error': 'The coordinator failed to handle this request',
});

/**
 * An error box for a failed call, with the API's own detail and field issues.
 * @param {unknown} error
 * @param {string} [title]  what failed, in the view's words
 * @returns {HTMLElement}
 */
export function problemAlert(error, title) {
  if (error instanceof ApiError) {
    const heading = TITLES[error.code] ?? error.title ?? 'The request failed';
    return h(
      'div',
      { class: 'alert bad', role: 'alert' },
      h('p', { class: 'alert-title' }, title ? `${title}: ${heading.toLowerCase()}` : heading),
      error.detail && error.detail !== heading ? h('p', null, error.detail) : null,
      error.issues.length > 1
        ? h(
            'ul',
            null,
            error.issues.map((issue) => h('li', null, issue)),
          )
        : null,
      h(
        'p',
        { class: 'hint' },
        `Error code: ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}`,
      ),
    );
  }
  return h(
    'div',
    { class: 'alert bad', role: 'alert' },
    h('p', { class: 'alert-title' }, title ?? 'Something went wrong'),
    h('p', null, error instanceof Error ? error.message : String(error)),
  );
}

/**
 * A table in a horizontally scrollable, keyboard-focusable region.
 * @param {string} label
 * @param {HTMLElement} table
 * @returns {HTMLElement}
 */
export function scrollableTable(label, table) {
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: 0 },
    table,
  );
}

/**
 * A section with a heading, labelled by it.
 * @param {string} title
 * @param {...(Node | string | null | false | (Node | null | false)[])} children
 * @returns {HTMLElement}
 */
export function section(title, ...children) {
  const id = uniqueId('section');
  return h(
    'section',
    { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title),
    ...children,
  );
}

/**
 * Waits `ms`, or less if `signal` aborts.
 * @param {number} ms
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * True when `error` only means the view was left.
 * @param {unknown} error
 * @param {AbortSignal} signal
 * @returns {boolean}
 */
export function isAbort(error, signal) {
  return signal.aborted || (error instanceof DOMException && error.name === 'AbortError');
}
