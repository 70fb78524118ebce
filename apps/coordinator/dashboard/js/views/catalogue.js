/**
 * The catalogue: what each protocol computes, what it protects, and (for analysts) a form to
 * request it.
 */
import { h, replace, uniqueId } from '../dom.js';
import { humanize, shortHash } from '../format.js';
import { budgetKind } from '../privacy.js';
import { canRequestReports } from '../role.js';
import { isAbort, loading, problemAlert, viewHeader } from './parts.js';
import { requestForm } from './request-form.js';

/**
 * @typedef {object} CatalogueProtocol
 * @property {string} id
 * @property {string} version
 * @property {string} hash
 * @property {string} title
 * @property {string} summary
 * @property {{ name: string, type: string, description: string }[]} parameters
 * @property {{ entity: string, window: string, scope: string }} privacyUnit
 * @property {string[]} axes
 * @property {{ name: string, title: string, unit: string, budgetShare: string }[]} outputs
 * @property {{ name: string, title: string, unit: string }[]} derived
 * @property {{ mechanism: string, minBudget: string, maxBudget: string }} privacy
 */

/**
 * @param {import('../main.js').ViewContext} ctx
 * @returns {import('../main.js').View}
 */
export function catalogueView(ctx) {
  const header = viewHeader('Catalogue');
  const list = h('div', { class: 'stack' }, loading('Loading the catalogue…'));
  const element = h(
    'div',
    null,
    header.element,
    h(
      'p',
      null,
      'Each protocol is a joint computation the three agencies have approved. A report runs it under secret sharing: no agency, and not the coordinator, sees another agency’s records, and only noisy totals with error bars are released.',
    ),
    canRequestReports(ctx.role)
      ? null
      : h(
          'div',
          { class: 'alert info', role: 'note' },
          `You are signed in as ${ctx.role === 'auditor' ? 'an auditor' : ctx.role}: you can read reports, transcripts and budgets. Requesting a report needs an analyst’s token.`,
        ),
    list,
  );
  ctx.api
    .get('/catalogue', { signal: ctx.signal })
    .then((/** @type {CatalogueProtocol[]} */ protocols) => {
      replace(
        list,
        protocols.length === 0
          ? h('p', null, 'The catalogue is empty.')
          : protocols.map((p) => protocolCard(p, ctx)),
      );
    })
    .catch((error) => {
      if (!isAbort(error, ctx.signal)) replace(list, problemAlert(error, 'Loading the catalogue'));
    });
  return { title: 'Catalogue', element, heading: header.heading };
}

/**
 * @param {CatalogueProtocol} protocol
 * @param {import('../main.js').ViewContext} ctx
 * @returns {HTMLElement}
 */
function protocolCard(protocol, ctx) {
  const id = uniqueId('protocol');
  return h(
    'article',
    { class: 'card', 'aria-labelledby': id, 'data-protocol': protocol.id },
    h('h2', { id }, protocol.title),
    h(
      'p',
      { class: 'hint' },
      `${protocol.id} · version ${protocol.version} · hash `,
      h('code', { title: protocol.hash }, shortHash(protocol.hash, 16)),
    ),
    h(
      'div',
      { class: 'protocol-body' },
      h('div', null, h('p', null, protocol.summary), facts(protocol)),
      canRequestReports(ctx.role) ? requestForm(protocol, ctx) : null,
    ),
  );
}

/**
 * What a protocol protects, computes and releases, and its budget range.
 * @param {CatalogueProtocol} protocol
 * @returns {HTMLElement}
 */
function facts(protocol) {
  const kind = budgetKind(protocol.privacy.mechanism);
  const unit = protocol.privacyUnit;
  return h(
    'dl',
    { class: 'facts' },
    h('dt', null, 'Protects'),
    h(
      'dd',
      null,
      `Each ${unit.entity}’s data within one ${unit.window.replace(/-/g, ' ')} (budget scope “${unit.scope}”)`,
    ),
    h('dt', null, 'Broken down by'),
    h('dd', null, protocol.axes.length ? protocol.axes.map(humanize).join(' × ') : 'No breakdown'),
    h('dt', null, 'Releases'),
    h(
      'dd',
      null,
      h(
        'ul',
        null,
        protocol.outputs.map((o) =>
          h('li', null, `${o.title} (${o.unit}), using ${o.budgetShare} of the budget`),
        ),
      ),
    ),
    protocol.derived.length > 0 ? h('dt', null, 'Computed after release') : null,
    protocol.derived.length > 0
      ? h(
          'dd',
          null,
          protocol.derived.map((d) => `${d.title} (${d.unit})`).join(', '),
          ': ratios of the noisy releases; they spend no extra budget.',
        )
      : null,
    h('dt', null, 'Budget range'),
    h(
      'dd',
      null,
      `${kind.symbol} from ${protocol.privacy.minBudget} to ${protocol.privacy.maxBudget} (${kind.name}, ${protocol.privacy.mechanism} noise)`,
    ),
  );
}
