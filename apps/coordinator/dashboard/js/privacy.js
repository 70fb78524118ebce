/**
 * Plain-language wording for privacy budgets, session states, abort reasons and transcript
 * entries. Nothing here converts ρ to ε: every ε the dashboard shows is the coordinator's
 * (`privacy` of a report or of the accuracy endpoint, the ledger's balances), so one release has
 * one ε on every screen.
 */

/** The δ the coordinator states ε at. */
export const DISPLAY_DELTA = 1e-9;

/**
 * What a protocol's budget number means.
 * @param {string} mechanism
 * @returns {{ symbol: string, name: string, concentrated: boolean }}
 */
export function budgetKind(mechanism) {
  return mechanism === 'discrete-gaussian'
    ? { symbol: 'ρ', name: 'zero-concentrated differential privacy (zCDP)', concentrated: true }
    : { symbol: 'ε', name: 'pure differential privacy', concentrated: false };
}

/**
 * Days one request covers from its service date, by the protocol's privacy-unit window (the
 * coordinator's PRIVACY_WINDOWS; its coverage API says the same as `windowDays`).
 * @type {Readonly<Record<string, number>>}
 */
export const WINDOW_DAYS = { 'service-day': 1, 'service-week': 7, 'service-30-days': 30 };

/**
 * A request's span of days in words: "the week", "the 30 days" (more than one day only).
 * @param {number} days
 * @returns {string}
 */
export function spanWords(days) {
  return days === 7 ? 'the week' : `the ${days} days`;
}

/**
 * What one request of several days reads, as a noun: "week", "30-day span".
 * @param {number} days
 * @returns {string}
 */
export function spanName(days) {
  return days === 7 ? 'week' : `${days}-day span`;
}

/**
 * One or two sentences explaining what requesting with this budget spends.
 * @param {{ mechanism: string }} privacy
 * @param {import('./rational.js').Rational} budget
 * @param {{ entity: string, window: string, scope: string }} unit
 * @returns {string[]}
 */
export function explainSpend(privacy, budget, unit) {
  const kind = budgetKind(privacy.mechanism);
  const days = WINDOW_DAYS[unit.window] ?? 1;
  const sentences = [
    days > 1
      ? `This request covers ${days === 7 ? 'seven' : days} service days and spends ${kind.symbol} = ${budgetText(budget)} from the privacy budget of each of them, the budget that protects each ${unit.entity}'s data in one service day (${unit.scope}). The budget is shared by every analyst and cannot be refilled.`
      : `This request spends ${kind.symbol} = ${budgetText(budget)} from the privacy budget that protects each ${unit.entity}'s data in one ${unit.window.replace(/-/g, ' ')} (${unit.scope}). The budget is shared by every analyst and cannot be refilled.`,
  ];
  if (kind.concentrated) {
    sentences.push(
      'A larger budget means less noise: doubling it narrows the intervals by about 30%, halving it widens them by about 40%.',
    );
  } else {
    sentences.push('A larger budget means less noise: doubling it halves the intervals.');
  }
  return sentences;
}

/**
 * @param {import('./rational.js').Rational} r
 * @returns {string}
 */
function budgetText(r) {
  return r.den === 1n ? String(r.num) : `${r.num}/${r.den}`;
}

/** @type {Record<string, string>} */
const STATES = {
  created: 'Created',
  inviting: 'Inviting agencies',
  running: 'Computing',
  sealing: 'Sealing transcript',
  completed: 'Completed',
  aborted: 'Aborted',
};

/**
 * @param {string} state
 * @returns {string}
 */
export function stateLabel(state) {
  return STATES[state] ?? state;
}

/**
 * @param {string} state
 * @returns {boolean}
 */
export function isFinal(state) {
  return state === 'completed' || state === 'aborted';
}

/**
 * The badge class for a session state.
 * @param {string} state
 * @returns {string}
 */
export function stateTone(state) {
  if (state === 'completed') return 'badge ok';
  if (state === 'aborted') return 'badge bad';
  return 'badge busy';
}

/**
 * One sentence per abort code the coordinator uses (its closed list, `ABORT_CODES` in
 * libs/wire): why the session stopped, in an analyst's words.
 * @type {Record<string, string>}
 */
const ABORTS = {
  declined:
    'An agency declined to take part (for example the protocol is not on its approved list, its own ledger has no budget left, or its data failed its checks). Nothing was computed.',
  'party-disconnected':
    'An agency node lost its connection and did not come back in time, so the session could not go on.',
  'party-restarted':
    'An agency node restarted during the session and lost its part of the computation, so the session could not go on.',
  'party-aborted':
    'An agency stopped the computation because a check failed on its side. The message below names the check.',
  timeout: 'The session did not finish in time and was stopped.',
  'relay-refused':
    'An agency sent a message that did not follow the protocol, so the coordinator stopped the session.',
  'results-disagree': 'The agencies did not all open the same result, so nothing was released.',
  'internal-error': 'The coordinator failed unexpectedly; the details are in its log.',
  'engine-mismatch':
    'The agency nodes run different computation engines (native and JIFF), so they could not compute together.',
  'jiff-interrupted':
    'A coordinator restart interrupted a computation running in JIFF mode, which cannot resume.',
  'unknown-session':
    'The coordinator has no record of this session, so the agencies settled it as not run.',
};

/**
 * @param {string} code
 * @returns {string}
 */
export function abortExplanation(code) {
  return ABORTS[code] ?? 'The session was stopped.';
}

/** @type {Record<string, string>} */
const AGENCY_ROLES = {
  transit: 'Transit authority',
  payments: 'Fare payment processor',
  planning: 'City planning',
};

/**
 * @param {string} role
 * @returns {string}
 */
export function agencyRoleLabel(role) {
  return AGENCY_ROLES[role] ?? role;
}

/** @type {Record<string, string>} */
const KINDS = {
  'session.created': 'Session created',
  'party.accepted': 'Agency accepted',
  'noise.committed': 'Noise committed',
  envelope: 'Encrypted envelope relayed',
  'jiff.started': 'JIFF phase started',
  'jiff.relay': 'JIFF messages relayed',
  'party.result': 'Result reported',
  'session.results': 'Results released',
  'party.aborted': 'Agency stopped',
  'session.aborted': 'Session aborted',
  'ledger.refunded': 'Budget refunded',
};

/**
 * @param {string} kind
 * @returns {string}
 */
export function entryKindLabel(kind) {
  return KINDS[kind] ?? kind;
}
