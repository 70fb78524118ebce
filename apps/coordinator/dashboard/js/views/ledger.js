/**
 * The privacy budget: for every (dataset scope, window) bucket, what has been spent against its
 * cap, in exact ρ and in ε at δ = 10⁻⁹; and an analyst's own quota when quotas are configured.
 */
import { h, on, replace } from '../dom.js';
import { ceilSignificant, formatDelta } from '../format.js';
import { fetchLedger } from '../ledger-data.js';
import { DISPLAY_DELTA } from '../privacy.js';
import { rationalToNumber } from '../rational.js';
import { isAbort, loading, problemAlert, viewHeader } from './parts.js';

/**
 * @param {import('../main.js').ViewContext} ctx
 * @returns {import('../main.js').View}
 */
export function ledgerView(ctx) {
  const refresh = h('button', { type: 'button', class: 'button secondary' }, 'Refresh');
  const header = viewHeader('Privacy budget', refresh);
  const body = h('div', { class: 'stack' }, loading('Loading the ledger…'));
  const element = h(
    'div',
    null,
    header.element,
    h(
      'p',
      null,
      'Every report spends privacy budget from a bucket: one dataset scope in one window (for example fares and ridership on one service day). A bucket’s cap protects the people in that data across all analysts together; once it is spent, no more reports can be run on that data and window.',
    ),
    h(
      'p',
      { class: 'hint' },
      'ε is stated at δ = 10⁻⁹ from the bucket’s total ρ plus ξ, by the same conversion as each report’s ε: a bucket holding one report shows that report’s ε. ',
      h(
        'a',
        { href: '/docs/privacy.md#accounting', target: '_blank', rel: 'noopener' },
        'What ε and ρ mean',
      ),
      '.',
    ),
    body,
  );

  function load() {
    replace(body, loading('Loading the ledger…'));
    fetchLedger(ctx.api, ctx.signal)
      .then((ledger) => {
        if (!ledger.available) {
          replace(
            body,
            h(
              'div',
              { class: 'alert info', role: 'status', 'data-ledger': 'unavailable' },
              h('p', { class: 'alert-title' }, 'The budget ledger is not available'),
              h(
                'p',
                null,
                'This coordinator does not publish its ledger yet (GET /ledger answered 404). Budgets are still enforced: a request that would go over a cap is refused.',
              ),
            ),
          );
          return;
        }
        replace(
          body,
          ledger.buckets.length === 0
            ? h('p', { 'data-ledger': 'empty' }, 'No privacy budget has been spent yet.')
            : h('div', { class: 'grid', 'data-ledger': 'buckets' }, ledger.buckets.map(bucketCard)),
        );
      })
      .catch((error) => {
        if (!isAbort(error, ctx.signal)) replace(body, problemAlert(error, 'Loading the ledger'));
      });
  }
  on(refresh, 'click', load);
  load();
  return { title: 'Privacy budget', element, heading: header.heading };
}

/** @param {import('../ledger-data.js').LedgerBucket} bucket */
function bucketCard(bucket) {
  return h(
    'article',
    { class: 'card', 'data-bucket': `${bucket.scope}/${bucket.window}` },
    h('h2', null, `${bucket.scope} · ${bucket.window}`),
    gauge('Bucket (all analysts)', bucket.spent, bucket.cap),
    h(
      'p',
      { class: 'hint' },
      `Remaining: ρ = ${bucket.remaining.text || '?'}`,
      bucket.remaining.epsilon === null
        ? ''
        : ` (ε ${bucket.remaining.epsilonText ?? bucket.remaining.epsilon.toLocaleString('en-US', { maximumSignificantDigits: 4 })})`,
      '.',
    ),
    bucket.analyst
      ? gauge(`Your quota (${bucket.analyst.name})`, bucket.analyst.spent, bucket.analyst.quota)
      : null,
  );
}

/**
 * @param {string} label
 * @param {import('../ledger-data.js').Balance} spent
 * @param {import('../ledger-data.js').Balance} cap
 */
function gauge(label, spent, cap) {
  const fraction =
    spent.value && cap.value && cap.value.num !== 0n
      ? Math.min(1, rationalToNumber(spent.value) / rationalToNumber(cap.value))
      : 0;
  const percent = `${(fraction * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
  const epsilon =
    spent.epsilon !== null && cap.epsilon !== null
      ? `ε ${spent.epsilonText ?? ceilSignificant(spent.epsilon, 4)} of ${cap.epsilonText ?? ceilSignificant(cap.epsilon, 4)} at δ = ${formatDelta(DISPLAY_DELTA)}`
      : '';
  const text = `ρ ${spent.text || '?'} of ${cap.text || '?'} spent (${percent})`;
  const meter = h('meter', {
    min: 0,
    max: 1,
    low: 0.5,
    high: 0.8,
    optimum: 0,
    value: fraction,
    'aria-label': `${label}: ${text}`,
  });
  return h(
    'div',
    { class: 'gauge' },
    h('div', { class: 'gauge-label' }, h('strong', null, label), h('span', null, text)),
    meter,
    epsilon
      ? h('div', { class: 'hint', 'data-epsilon-spent': spent.epsilonText ?? '' }, epsilon)
      : null,
  );
}
