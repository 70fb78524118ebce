/**
 * GET /ledger, normalised. Balances are exact rationals as text; ε figures (at δ = 1e-9) are
 * numbers. Tolerates a balance written either as text ("1/2") or as an object with `rho` and
 * `epsilon`, so the page keeps working while the endpoint settles. A 404 means the coordinator
 * does not offer the ledger: `available` is false.
 */
import { ApiError } from './api.js';
import { parseRational } from './rational.js';

/**
 * @typedef {object} Balance
 * @property {string} text                              exact ρ as the API wrote it
 * @property {import('./rational.js').Rational | null} value
 * @property {number | null} epsilon
 * @property {string | null} epsilonText  ε as the API rounded it (the same text a report states)
 *
 * @typedef {object} LedgerBucket
 * @property {string} scope
 * @property {string} window
 * @property {Balance} spent
 * @property {Balance} cap
 * @property {Balance} remaining
 * @property {{ name: string, spent: Balance, quota: Balance } | null} analyst
 *
 * @typedef {{ available: true, buckets: LedgerBucket[] } | { available: false }} Ledger
 */

/**
 * @param {import('./api.js').Api} api
 * @param {AbortSignal} [signal]
 * @returns {Promise<Ledger>}
 */
export async function fetchLedger(api, signal) {
  try {
    const body = await api.get('/ledger', { signal });
    const buckets = Array.isArray(body?.buckets) ? body.buckets : Array.isArray(body) ? body : [];
    return { available: true, buckets: buckets.map(normaliseBucket) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { available: false };
    throw error;
  }
}

/**
 * @param {any} raw
 * @returns {LedgerBucket}
 */
function normaliseBucket(raw) {
  const analyst = raw?.analyst && typeof raw.analyst === 'object' ? raw.analyst : null;
  return {
    scope: String(raw?.scope ?? ''),
    window: String(raw?.window ?? ''),
    spent: balance(raw?.spent, raw?.epsilonSpent, raw?.epsilonSpentText),
    cap: balance(raw?.cap, raw?.epsilonCap, raw?.epsilonCapText),
    remaining: balance(raw?.remaining, raw?.epsilonRemaining, raw?.epsilonRemainingText),
    analyst: analyst
      ? {
          name: String(analyst.name ?? ''),
          spent: balance(analyst.spent, analyst.epsilonSpent),
          quota: balance(analyst.quota ?? analyst.cap, analyst.epsilonQuota),
        }
      : null,
  };
}

/**
 * @param {unknown} value   "1/2", or { rho: "1/2", epsilon: 1.2 }
 * @param {unknown} epsilon
 * @param {unknown} [epsilonText]
 * @returns {Balance}
 */
function balance(value, epsilon, epsilonText) {
  const object = value && typeof value === 'object' ? /** @type {any} */ (value) : null;
  const text = object ? String(object.rho ?? '') : value === undefined ? '' : String(value);
  const eps = typeof epsilon === 'number' ? epsilon : object?.epsilon;
  return {
    text,
    value: text ? parseRational(text) : null,
    epsilon: typeof eps === 'number' && Number.isFinite(eps) ? eps : null,
    epsilonText: typeof epsilonText === 'string' && epsilonText !== '' ? epsilonText : null,
  };
}
