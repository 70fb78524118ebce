/**
 * What a report spent: the total budget (exact), and each output's share with its ε at δ.
 */
import { h } from '../dom.js';
import { ceilSignificant, formatDelta } from '../format.js';
import { budgetKind, DISPLAY_DELTA, epsilonUpperBound } from '../privacy.js';
import { parseRational, rationalToNumber } from '../rational.js';
import { scrollableTable, section } from './parts.js';

/**
 * @param {any} report
 * @returns {HTMLElement}
 */
export function privacySection(report) {
  const budget = report.budget ?? {};
  const kind = budgetKind(budget.mechanism ?? '');
  const outputs = /** @type {any[]} */ (report.outputs ?? []);
  const rho = typeof budget.rho === 'string' ? parseRational(budget.rho) : null;
  // (ξ, ρ)-zCDP: ε grows by ξ (tiny for the discrete Gaussian's sum of shares, but counted).
  const xi = typeof budget.xi === 'string' ? parseRational(budget.xi) : null;
  const charged = h(
    'p',
    { 'data-budget': '' },
    `This report ${report.state === 'completed' ? 'spent' : 'is charged'} ${kind.symbol} = ${budget.value ?? '?'}`,
    kind.concentrated ? '' : ` (ρ = ${budget.rho ?? '?'})`,
    ` under ${kind.name}, with ${budget.mechanism ?? 'unknown'} noise.`,
    rho !== null
      ? ` In (ε, δ) terms that is at most ε ≈ ${ceilSignificant(epsilonUpperBound(rationalToNumber(rho)) + (xi ? rationalToNumber(xi) : 0), 3)} at δ = ${formatDelta(DISPLAY_DELTA)} (the standard conversion, an upper bound).`
      : '',
  );
  return section(
    report.state === 'completed' ? 'Privacy spent' : 'Privacy budget charged',
    charged,
    report.state === 'aborted'
      ? h(
          'p',
          null,
          'A session that stops before any result is opened has its charge refunded; once results have been opened, the charge stays spent.',
        )
      : null,
    outputs.length > 0
      ? scrollableTable(
          'Privacy per output',
          h(
            'table',
            null,
            h(
              'caption',
              null,
              'Each output’s share of the budget and what it is worth in (ε, δ) terms.',
            ),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Output', 'ρ', 'ε (rounded up)', 'at δ', 'Noise'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              outputs.map((o) => {
                const noise = o.noise ?? {};
                return h(
                  'tr',
                  null,
                  h('th', { scope: 'row' }, o.title),
                  h('td', null, String(noise.rho ?? '—')),
                  h(
                    'td',
                    null,
                    typeof noise.epsilon === 'number' ? ceilSignificant(noise.epsilon, 4) : '—',
                  ),
                  h('td', null, typeof noise.delta === 'number' ? formatDelta(noise.delta) : '—'),
                  h('td', null, String(noise.mechanism ?? budget.mechanism ?? '—')),
                );
              }),
            ),
          ),
        )
      : null,
    h(
      'p',
      { class: 'hint' },
      'ρ adds up across the outputs of a report and across reports on the same data and day; the ledger caps the total for every analyst together. ',
      h('a', { href: '#/budget' }, 'See the privacy budget'),
      '.',
    ),
  );
}
