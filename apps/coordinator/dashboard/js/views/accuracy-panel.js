/**
 * Accuracy before spending, in the request form: what the chosen budget buys (the 95% half-width
 * of every output and the report's one ε, from GET /catalogue/:id/accuracy, computed by the same
 * functions as the release) and, for a target half-width, the budget it needs. Asking is free:
 * nothing is charged.
 */
import { h, on, replace, uniqueId } from '../dom.js';
import { formatDelta, humanize, unitFormat } from '../format.js';
import { problemAlert } from './parts.js';

/**
 * @param {import('./catalogue.js').CatalogueProtocol} protocol
 * @param {import('../main.js').ViewContext} ctx
 * @param {(budget: string) => void} useBudget  puts a budget into the form
 * @param {() => Record<string, string[]> | null} selection  the public axis values the form selects
 * @returns {{ element: HTMLElement, show: (budget: string | null) => void }}
 */
export function accuracyPanel(protocol, ctx, useBudget, selection) {
  const path = `/catalogue/${encodeURIComponent(protocol.id)}/accuracy?version=${encodeURIComponent(protocol.version)}`;
  // Fewer cells change the report's δ term and so its ε: ask about the grid the form selects.
  const base = () => {
    const axes = selection();
    return axes ? `${path}&axes=${encodeURIComponent(JSON.stringify(axes))}` : path;
  };
  const body = h('div', { 'data-accuracy': 'empty' });
  const targetId = uniqueId(`${protocol.id}-target`);
  const outputId = `${targetId}-output`;
  const target = /** @type {HTMLInputElement} */ (
    h('input', { id: targetId, type: 'text', inputmode: 'numeric', autocomplete: 'off' })
  );
  const output = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: outputId },
      protocol.outputs.map((o) => h('option', { value: o.name }, o.title)),
    )
  );
  const ask = h('button', { type: 'button', class: 'button secondary' }, 'Find the budget');
  const answer = h('div', { 'data-budget-for': '' });
  const element = h(
    'div',
    { class: 'accuracy', 'aria-label': 'Accuracy before spending' },
    h('h3', null, 'What this budget buys'),
    body,
    h(
      'div',
      { class: 'field' },
      h('label', { for: targetId }, 'Or: the budget for a 95% interval of ±'),
      target,
      h('label', { for: outputId }, 'on'),
      output,
      ask,
      h(
        'span',
        { class: 'hint' },
        'In the output’s own unit (whole dollars for money). Asking costs no budget.',
      ),
      answer,
    ),
  );

  let ticket = 0;
  /** @param {string | null} budget */
  function show(budget) {
    ticket += 1;
    const mine = ticket;
    if (!budget) {
      replace(body, h('p', { class: 'hint' }, 'Enter a budget to see its precision.'));
      body.setAttribute('data-accuracy', 'empty');
      return;
    }
    ctx.api
      .get(`${base()}&budget=${encodeURIComponent(budget)}`, { signal: ctx.signal })
      .then((/** @type {any} */ accuracy) => {
        if (mine !== ticket) return;
        body.setAttribute('data-accuracy', accuracy.budget);
        replace(body, describe(accuracy));
      })
      .catch((/** @type {unknown} */ error) => {
        if (mine !== ticket || ctx.signal.aborted) return;
        body.setAttribute('data-accuracy', 'error');
        replace(body, problemAlert(error, 'The precision could not be computed'));
      });
  }

  on(ask, 'click', () => {
    const w = target.value.trim();
    if (!/^\d{1,15}$/.test(w)) {
      replace(answer, h('p', { class: 'field-error' }, 'Enter a whole number, such as 20.'));
      return;
    }
    const unit = protocol.outputs.find((o) => o.name === output.value)?.unit ?? '';
    const width = unit === 'cents' ? String(Math.round(Number(w) * 100)) : w;
    ctx.api
      .get(`${base()}&halfWidth=${width}&output=${encodeURIComponent(output.value)}`, {
        signal: ctx.signal,
      })
      .then((/** @type {any} */ plan) => {
        const needed = plan.needed[0];
        const f = unitFormat(unit);
        if (plan.budget === null) {
          replace(
            answer,
            h(
              'p',
              { 'data-budget-needed': 'none' },
              `Out of reach: the largest budget allowed (${protocol.privacy.maxBudget}) gives ±${f.value(BigInt(needed.achieved))}.`,
            ),
          );
          return;
        }
        const use = h('button', { type: 'button', class: 'button secondary' }, 'Use this budget');
        on(use, 'click', () => useBudget(plan.budget));
        replace(
          answer,
          h(
            'p',
            { 'data-budget-needed': plan.budget },
            `Budget ${plan.budget} gives ±${f.value(BigInt(needed.achieved))} on ${humanize(output.value).toLowerCase()}. `,
            use,
          ),
        );
      })
      .catch((/** @type {unknown} */ error) => {
        if (!ctx.signal.aborted) replace(answer, problemAlert(error, 'No budget found'));
      });
  });

  return { element, show };
}

/**
 * @param {any} accuracy
 * @returns {HTMLElement[]}
 */
function describe(accuracy) {
  const privacy = accuracy.privacy;
  return [
    h(
      'ul',
      null,
      /** @type {any[]} */ (accuracy.outputs).map((o) =>
        h(
          'li',
          { 'data-output-accuracy': o.name, 'data-half-width': o.halfWidth },
          `${o.title}: ±${unitFormat(o.unit).value(BigInt(o.halfWidth))} on every released value (95% interval).`,
        ),
      ),
    ),
    h(
      'p',
      { 'data-accuracy-epsilon': privacy.pureEpsilonText ?? privacy.epsilonText },
      privacy.pureEpsilonText !== null
        ? `The report will state pure ε = ${privacy.pureEpsilonText}. `
        : `The report will state ε = ${privacy.epsilonText} at δ = ${formatDelta(privacy.delta)}. `,
      h('a', { href: privacy.docs, target: '_blank', rel: 'noopener' }, 'What this means'),
      '.',
    ),
  ];
}
