/**
 * The request form of one protocol: its parameters and a budget within the protocol's range,
 * with a running explanation of the privacy the request spends.
 */
import { ApiError } from '../api.js';
import { describeRanges, expandRanges, fetchProtocolCoverage, rangesInclude } from '../coverage.js';
import { h, on, replace, uniqueId } from '../dom.js';
import { humanize } from '../format.js';
import { fetchLedger } from '../ledger-data.js';
import { budgetKind, explainSpend, spanName, spanWords, WINDOW_DAYS } from '../privacy.js';
import { compareRational, parseRational } from '../rational.js';
import { reportHref } from '../router.js';
import { accuracyPanel } from './accuracy-panel.js';
import { problemAlert } from './parts.js';

const BUDGET_FORM = /^\d{1,20}(\/\d{1,20}|\.\d{1,20})?$/;
const SUGGESTED = ['1/100', '1/20', '1/10', '1/4', '1/2', '1', '2'];

/**
 * @param {import('./catalogue.js').CatalogueProtocol} protocol
 * @param {import('../main.js').ViewContext} ctx
 * @returns {HTMLElement}
 */
export function requestForm(protocol, ctx) {
  const kind = budgetKind(protocol.privacy.mechanism);
  const min = parseRational(protocol.privacy.minBudget);
  const max = parseRational(protocol.privacy.maxBudget);
  const inRange = (/** @type {import('../rational.js').Rational} */ r) =>
    (!min || compareRational(r, min) >= 0) && (!max || compareRational(r, max) <= 0);

  /** @type {{ name: string, input: HTMLInputElement, error: HTMLElement, label: HTMLElement, hint: HTMLElement }[]} */
  const params = protocol.parameters.map((p) => {
    const id = uniqueId(`${protocol.id}-${p.name}`);
    const input = /** @type {HTMLInputElement} */ (
      h('input', {
        id,
        name: p.name,
        type: p.type === 'date' ? 'date' : 'text',
        required: true,
        'aria-describedby': `${id}-hint ${id}-error`,
      })
    );
    return {
      name: p.name,
      input,
      error: h('span', { class: 'field-error', id: `${id}-error` }),
      label: h('label', { for: id }, humanize(p.name)),
      hint: h('span', { class: 'hint', id: `${id}-hint` }, p.description),
    };
  });

  const budgetId = uniqueId(`${protocol.id}-budget`);
  const listId = `${budgetId}-choices`;
  const defaultBudget = ['1/2', protocol.privacy.maxBudget].find((b) => {
    const r = parseRational(b);
    return r && inRange(r);
  });
  const budget = /** @type {HTMLInputElement} */ (
    h('input', {
      id: budgetId,
      name: 'budget',
      type: 'text',
      spellcheck: 'false',
      autocomplete: 'off',
      required: true,
      value: defaultBudget ?? '',
      list: listId,
      'aria-describedby': `${budgetId}-hint ${budgetId}-error`,
    })
  );
  const budgetError = h('span', { class: 'field-error', id: `${budgetId}-error` });
  // Not a live region: it changes with every keystroke; it follows the budget in reading order.
  const explanation = h('div', { class: 'explain', id: `${budgetId}-explain` });
  const status = h('div');
  const submit = h('button', { type: 'submit', class: 'button' }, 'Request report');
  // Accuracy before spending: asks the coordinator (free) what the typed budget buys.
  const accuracy = accuracyPanel(
    protocol,
    ctx,
    (chosen) => {
      budget.value = chosen;
      budget.dispatchEvent(new Event('input', { bubbles: true }));
    },
    () => selection(),
  );
  /** One list per public axis (filled in when GET /catalogue/:id/axes answers). */
  const axesField = h('div', { 'data-axes': '' });
  /** @type {HTMLSelectElement[]} */
  let axisLists = [];
  /** The service dates the agencies hold (filled in when the coverage arrives). */
  let covered = /** @type {import('../coverage.js').ProtocolCoverage | null} */ (null);

  const form = h(
    'form',
    { novalidate: true, 'aria-label': `Request ${protocol.title}` },
    h(
      'fieldset',
      null,
      h('legend', null, 'Request this report'),
      params.map((p) => h('div', { class: 'field' }, p.label, p.input, p.hint, p.error)),
      axesField,
      h(
        'div',
        { class: 'field' },
        h('label', { for: budgetId }, `Privacy budget (${kind.symbol})`),
        budget,
        h(
          'datalist',
          { id: listId },
          SUGGESTED.filter((s) => {
            const r = parseRational(s);
            return r && inRange(r);
          }).map((s) => h('option', { value: s })),
        ),
        h(
          'span',
          { class: 'hint', id: `${budgetId}-hint` },
          `Between ${protocol.privacy.minBudget} and ${protocol.privacy.maxBudget}, as a fraction such as 1/2 or a decimal such as 0.25.`,
        ),
        budgetError,
      ),
      explanation,
      accuracy.element,
      status,
      submit,
    ),
  );

  /** The remaining budget of the bucket the chosen day falls in, when the ledger is offered. */
  let ledger = /** @type {Promise<import('../ledger-data.js').Ledger> | null} */ (null);
  let requestId = newRequestId();
  let explained = 0;

  /** Days one request covers: 1, 7 (a week) or 30 (the coverage API says, else the window). */
  function windowDays() {
    return covered?.windowDays ?? WINDOW_DAYS[protocol.privacyUnit.window] ?? 1;
  }

  function explain() {
    const r = parseRational(budget.value);
    const lines =
      r && BUDGET_FORM.test(budget.value.trim()) && inRange(r)
        ? explainSpend(protocol.privacy, r, protocol.privacyUnit)
        : [
            `Enter a budget between ${protocol.privacy.minBudget} and ${protocol.privacy.maxBudget} to see what it spends.`,
          ];
    replace(
      explanation,
      lines.map((line) => h('p', null, line)),
    );
    explained += 1;
    void showRemaining(explained);
    showAccuracy(
      r && BUDGET_FORM.test(budget.value.trim()) && inRange(r) ? budget.value.trim() : null,
    );
  }

  /** The precision preview follows the budget, once typing pauses. */
  let accuracyTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  /** @param {string | null} chosen */
  function showAccuracy(chosen) {
    clearTimeout(accuracyTimer);
    accuracyTimer = setTimeout(() => accuracy.show(chosen), 250);
  }

  /** @param {number} ticket  the explanation this line belongs to */
  async function showRemaining(ticket) {
    const day = params.find((p) => p.input.type === 'date')?.input.value;
    if (!day) return;
    ledger ??= fetchLedger(ctx.api, ctx.signal).catch(() => ({
      available: /** @type {const} */ (false),
    }));
    const result = await ledger;
    if (!result.available || ticket !== explained) return;
    // A request of several days is charged on each of them: the fullest one is what is left.
    const days = expandRanges([`${day}/${addDays(day, windowDays() - 1)}`], windowDays());
    const bucket = result.buckets
      .filter((b) => b.scope === protocol.privacyUnit.scope && days.includes(b.window))
      .sort((a, b) =>
        a.remaining.value && b.remaining.value
          ? compareRational(a.remaining.value, b.remaining.value)
          : 0,
      )[0];
    const span = days.length > 1 ? `${spanWords(days.length)} from ${day}` : day;
    explanation.appendChild(
      h(
        'p',
        null,
        bucket
          ? `Left for ${span} (${bucket.scope}${days.length > 1 ? `, fullest day ${bucket.window}` : ''}): ${kind.symbol} = ${bucket.remaining.text || '?'} of ${bucket.cap.text || '?'}.`
          : `Nothing has been spent on ${span} yet.`,
      ),
    );
  }

  /**
   * The date picker offers the dates every agency holds: min and max, a list of suggestions, a
   * hint naming them, and the last one preselected. A date outside them is refused here (and by
   * the coordinator, before anything is charged) when every agency's coverage is known.
   */
  async function showCoverage() {
    const dateParams = params.filter((p) => p.input.type === 'date');
    if (dateParams.length === 0) return;
    covered = await fetchProtocolCoverage(ctx.api, protocol, ctx.signal);
    const ranges = covered?.serviceDates;
    if (!ranges) return;
    const dates = expandRanges(ranges, 366);
    for (const p of dateParams) {
      const listId = `${p.input.id}-dates`;
      p.hint.appendChild(
        h(
          'span',
          { class: 'coverage', 'data-coverage': p.name },
          ranges.length === 0
            ? windowDays() > 1
              ? ` No whole ${spanName(windowDays())} is held by every agency yet.`
              : ' No date is held by every agency yet.'
            : `${windowDays() > 1 ? ` A ${spanName(windowDays())} of data held by every agency starts on` : ' Data held by every agency:'} ${describeRanges(ranges)}${covered?.complete ? '' : ' (some agencies have not said which dates they hold)'}.`,
        ),
      );
      if (dates.length === 0) continue;
      p.input.setAttribute('min', dates[0]);
      p.input.setAttribute('max', dates[dates.length - 1]);
      p.input.setAttribute('list', listId);
      p.input.after(
        h(
          'datalist',
          { id: listId },
          dates.map((d) => h('option', { value: d })),
        ),
      );
      if (!p.input.value) p.input.value = dates[dates.length - 1];
    }
    explain();
  }

  /** The values selected of each public axis, or null when every value is wanted. */
  function selection() {
    /** @type {Record<string, string[]>} */
    const chosen = {};
    for (const list of axisLists) {
      const values = Array.from(list.selectedOptions, (o) => o.value);
      if (values.length > 0) chosen[list.name] = values;
    }
    return Object.keys(chosen).length > 0 ? chosen : null;
  }

  /**
   * A list per public axis (zones, routes…) to narrow the report's grid to some of its values:
   * a district's zones make a flow table that fits where the whole city's would be refused.
   */
  async function showAxes() {
    /** @type {{ name: string, source: string, values: string[] }[]} */
    let axes;
    try {
      axes = await ctx.api.get(`/catalogue/${encodeURIComponent(protocol.id)}/axes`, {
        signal: ctx.signal,
      });
    } catch {
      return; // the form still requests every value, as it would without the lists
    }
    // A page left while the answer was read gets no body (null): nothing to show.
    if (ctx.signal.aborted || !Array.isArray(axes)) return;
    axisLists = axes.map((axis) => {
      const id = uniqueId(`${protocol.id}-${axis.name}-values`);
      return /** @type {HTMLSelectElement} */ (
        h(
          'select',
          {
            id,
            name: axis.name,
            multiple: true,
            size: String(Math.min(6, axis.values.length)),
            'aria-describedby': `${id}-hint`,
          },
          axis.values.map((v) => h('option', { value: v }, v)),
        )
      );
    });
    replace(
      axesField,
      axes.map((axis, i) =>
        h(
          'div',
          { class: 'field' },
          h('label', { for: axisLists[i].id }, `${humanize(axis.name)}: only these`),
          axisLists[i],
          h(
            'span',
            { class: 'hint', id: `${axisLists[i].id}-hint` },
            `None selected: all ${axis.values.length}. Select several with Ctrl or Shift; a smaller grid fits where the whole one is too large.`,
          ),
        ),
      ),
    );
  }

  function validate() {
    /** @type {HTMLInputElement | null} */
    let firstInvalid = null;
    for (const p of params) {
      const value = p.input.value.trim();
      const ranges = covered?.complete ? covered.serviceDates : null;
      const lacking =
        p.input.type === 'date' && value !== '' && ranges && !rangesInclude(ranges, value);
      const ok = value !== '' && !lacking;
      p.input.setAttribute('aria-invalid', String(!ok));
      p.error.textContent = ok
        ? ''
        : lacking
          ? windowDays() > 1
            ? `No whole ${spanName(windowDays())} of data from ${value}: ${spanName(windowDays())}s held by every agency start on ${ranges.length > 0 ? describeRanges(ranges) : 'no date yet'}.`
            : `No data for ${value}: the agencies hold ${ranges.length > 0 ? describeRanges(ranges) : 'no date yet'}.`
          : `Enter the ${humanize(p.name).toLowerCase()}.`;
      if (!ok) firstInvalid ??= p.input;
    }
    const text = budget.value.trim();
    const r = BUDGET_FORM.test(text) ? parseRational(text) : null;
    const budgetOk = r !== null && r.num > 0n && inRange(r);
    budget.setAttribute('aria-invalid', String(!budgetOk));
    budgetError.textContent = budgetOk
      ? ''
      : `Enter a budget between ${protocol.privacy.minBudget} and ${protocol.privacy.maxBudget}.`;
    if (!budgetOk) firstInvalid ??= budget;
    return firstInvalid;
  }

  on(form, 'input', () => {
    requestId = newRequestId(); // a changed request is a new request
    replace(status); // an answer to the previous request no longer applies
    explain();
  });
  on(form, 'submit', (event) => {
    event.preventDefault();
    const invalid = validate();
    if (invalid) {
      invalid.focus();
      return;
    }
    submit.setAttribute('disabled', '');
    replace(status, h('p', { class: 'muted', role: 'status' }, 'Sending the request…'));
    /** @type {Record<string, string>} */
    const parameters = {};
    for (const p of params) parameters[p.name] = p.input.value.trim();
    ctx.api
      .post(
        '/reports',
        {
          protocol: protocol.id,
          version: protocol.version,
          parameters,
          budget: budget.value.trim(),
          ...(selection() ? { axes: selection() } : {}),
          requestId,
        },
        { signal: ctx.signal },
      )
      .then((/** @type {{ id: string }} */ report) => {
        ctx.announce('Report requested.');
        location.hash = reportHref(report.id);
      })
      .catch((error) => {
        if (ctx.signal.aborted) return;
        // Only an unanswered request may be retried under the same id (idempotent).
        if (!(error instanceof ApiError && error.status === 0)) requestId = newRequestId();
        submit.removeAttribute('disabled');
        replace(status, problemAlert(error, 'The request was not accepted'));
      });
  });
  explain();
  void showCoverage();
  void showAxes();
  return form;
}

/** An idempotency key for one request (crypto.randomUUID needs a secure context). */
function newRequestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dashboard-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The date `n` days after `day` (`YYYY-MM-DD`, UTC).
 * @param {string} day
 * @param {number} n
 */
function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
