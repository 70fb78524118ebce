/**
 * The frame every results chart shares: a titled card, a caption, and a canvas whose width grows
 * with the number of bars inside a sideways-scrolling box, so every bar of a slice is drawn (a
 * zone axis of 250 values included) instead of the first hundred or so.
 */
import { chartsAvailable } from '../charts.js';
import { h, uniqueId } from '../dom.js';

/** Below this many bars the chart fits its card; above it each bar gets this many pixels. */
const FIT_BARS = 60;
const PIXELS_PER_BAR = 12;

/**
 * @param {string} title   the chart's heading
 * @param {Record<string, string>} data   data-* attributes naming what it charts
 * @returns {{ element: HTMLElement, caption: HTMLElement, canvas: HTMLCanvasElement, fit(bars: number): string }}
 */
export function chartFrame(title, data) {
  const headingId = uniqueId('chart');
  const caption = h('p', { class: 'hint' });
  const canvas = /** @type {HTMLCanvasElement} */ (h('canvas', { role: 'img' }));
  const inner = h('div', { class: 'chart-box' }, canvas);
  const scroller = h('div', { class: 'chart-scroll', tabindex: '0' }, inner);
  const element = h(
    'figure',
    { class: 'card chart-card', 'aria-labelledby': headingId, ...data },
    h('h3', { id: headingId }, title),
    caption,
    chartsAvailable()
      ? scroller
      : h(
          'p',
          { class: 'alert info' },
          'The charting library could not be loaded; the table below lists every value.',
        ),
  );
  return {
    element,
    caption,
    canvas,
    fit(bars) {
      element.setAttribute('data-bars', String(bars));
      // CSSOM, not a style attribute: the page's CSP forbids inline style attributes.
      inner.style.width = bars > FIT_BARS ? `${bars * PIXELS_PER_BAR}px` : '';
      scroller.setAttribute('aria-label', `${title}: ${bars} bars`);
      return bars > FIT_BARS
        ? `All ${bars} bars are drawn: scroll the chart sideways to see them all.`
        : '';
    },
  };
}
