/**
 * What a report spent, exactly as the API states it (`report.privacy`, the same figures the
 * ledger, the demo and the CLI print): the release's ε from its total ρ plus ξ, pure ε for Pólya
 * releases, and each output's share of ρ. Nothing here converts ρ itself: a second conversion
 * would be a second ε.
 */
import { h } from '../dom.js';
import { formatDelta } from '../format.js';
import { budgetKind } from '../privacy.js';
import { scrollableTable, section } from './parts.js';

/**
 * @param {any} report
 * @returns {HTMLElement}
 */
export function privacySection(report) {
  const budget = report.budget ?? {};
  const kind = budgetKind(budget.mechanism ?? '');
  const privacy = report.privacy ?? null;
  const outputs = /** @type {any[]} */ (privacy?.outputs ?? []);
  const titles = new Map(
    /** @type {any[]} */ (report.outputs ?? []).map((o) => [o.name, o.title ?? o.name]),
  );
  const charged = h(
    'p',
    { 'data-budget': '' },
    `This report ${report.state === 'completed' ? 'spent' : 'is charged'} ${kind.symbol} = ${budget.value ?? '?'}`,
    kind.concentrated ? '' : ` (the ledger counts it as ρ = ${budget.rho ?? '?'})`,
    ` under ${kind.name}, with ${budget.mechanism ?? 'unknown'} noise.`,
  );
  const figure = privacy
    ? h(
        'p',
        { 'data-release-epsilon': privacy.pureEpsilonText ?? privacy.epsilonText },
        h(
          'strong',
          null,
          privacy.pureEpsilonText !== null
            ? `Pure ε = ${privacy.pureEpsilonText} for the whole report.`
            : `ε = ${privacy.epsilonText} at δ = ${formatDelta(privacy.delta)} for the whole report (ρ = ${privacy.rho}).`,
        ),
        ` ${privacy.statement} `,
        h('a', { href: privacy.docs, target: '_blank', rel: 'noopener' }, 'What this means'),
        '.',
      )
    : null;
  return section(
    report.state === 'completed' ? 'Privacy spent' : 'Privacy budget charged',
    charged,
    figure,
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
            { 'data-privacy-outputs': '' },
            h(
              'caption',
              null,
              kind.concentrated
                ? 'Each output’s part of the report’s ρ. ρ adds up across outputs; ε does not, so only the report’s ε above is stated.'
                : 'Each output’s part of the report’s pure ε (pure ε adds up across outputs) and of the ρ the ledger counts.',
            ),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                (kind.concentrated
                  ? ['Output', 'ρ', 'Share of the report’s ρ']
                  : ['Output', 'Pure ε', 'ρ (ledger)', 'Share of the report’s ρ']
                ).map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              null,
              outputs.map((o) =>
                h(
                  'tr',
                  null,
                  h('th', { scope: 'row' }, titles.get(o.name) ?? o.name),
                  kind.concentrated ? null : h('td', null, String(o.pureEpsilon ?? '—')),
                  h('td', null, String(o.rho)),
                  h('td', null, shareText(o.shareOfRho)),
                ),
              ),
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

/**
 * "1/2" as "1/2 (50%)".
 * @param {string} share
 * @returns {string}
 */
function shareText(share) {
  const [num, den = '1'] = String(share).split('/');
  const percent = (Number(num) / Number(den)) * 100;
  return Number.isFinite(percent) ? `${share} (${Math.round(percent * 10) / 10}%)` : String(share);
}
