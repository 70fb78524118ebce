/**
 * Hash routes: the dashboard is one page and every view has a bookmarkable address.
 */

/** @typedef {{ name: string, params: Record<string, string> }} Route */

const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/** @type {[RegExp, string, string[]][]} */
const ROUTES = [
  [/^\/?$/, 'catalogue', []],
  [/^\/catalogue$/, 'catalogue', []],
  [/^\/reports$/, 'reports', []],
  [new RegExp(`^/reports/${UUID}$`), 'report', ['id']],
  [new RegExp(`^/reports/${UUID}/transcript$`), 'transcript', ['id']],
  [/^\/budget$/, 'budget', []],
  [/^\/agencies$/, 'agencies', []],
];

/**
 * @param {string} hash  location.hash, e.g. "#/reports/…"
 * @returns {Route}
 */
export function parseRoute(hash) {
  const path = hash.replace(/^#/, '');
  for (const [pattern, name, keys] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      /** @type {Record<string, string>} */
      const params = {};
      keys.forEach((key, i) => (params[key] = match[i + 1].toLowerCase()));
      return { name, params };
    }
  }
  return { name: 'not-found', params: { path } };
}

/**
 * Calls `render` for the current route and on every change of the address.
 * @param {(route: Route) => void} render
 * @returns {() => void} stops listening
 */
export function watchRoutes(render) {
  const listener = () => render(parseRoute(location.hash));
  window.addEventListener('hashchange', listener);
  listener();
  return () => window.removeEventListener('hashchange', listener);
}

/**
 * Hash of a report's page, or of its transcript.
 * @param {string} id
 * @param {'report' | 'transcript'} [page]
 * @returns {string}
 */
export function reportHref(id, page = 'report') {
  return page === 'report' ? `#/reports/${id}` : `#/reports/${id}/transcript`;
}
