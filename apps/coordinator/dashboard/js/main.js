/**
 * The dashboard's entry point: signing in and out, the header, and mounting one view per route.
 */
import { ApiError, createApi } from './api.js';
import { h, on, replace } from './dom.js';
import { detectRole } from './role.js';
import { watchRoutes } from './router.js';
import { clearToken, loadToken, saveToken } from './token-store.js';
import { agenciesView } from './views/agencies.js';
import { catalogueView } from './views/catalogue.js';
import { ledgerView } from './views/ledger.js';
import { reportView } from './views/report.js';
import { reportsListView } from './views/reports-list.js';
import { signInView } from './views/sign-in.js';
import { transcriptView } from './views/transcript.js';

/**
 * What every view gets.
 * @typedef {object} ViewContext
 * @property {import('./api.js').Api} api
 * @property {import('./role.js').Role} role
 * @property {AbortSignal} signal   aborted when the view is left
 * @property {(message: string) => void} announce   polite screen-reader announcement
 *
 * @typedef {object} View
 * @property {string} title
 * @property {HTMLElement} element
 * @property {HTMLElement} heading
 * @property {() => void} [destroy]
 */

/** @type {Record<string, (ctx: ViewContext, params: Record<string, string>) => View>} */
const VIEWS = {
  catalogue: catalogueView,
  reports: reportsListView,
  report: reportView,
  transcript: transcriptView,
  budget: ledgerView,
  agencies: agenciesView,
  'not-found': notFoundView,
};

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('site-nav'));
const account = /** @type {HTMLElement} */ (document.getElementById('account'));
const roleBadge = /** @type {HTMLElement} */ (document.getElementById('role-badge'));
const announcer = /** @type {HTMLElement} */ (document.getElementById('announcer'));

/** @type {import('./role.js').Role | null} */
let role = null;
/** @type {{ controller: AbortController, view: View } | null} */
let current = null;
/** @type {(() => void) | null} */
let stopRoutes = null;
let firstRender = true;

const api = createApi({
  token: loadToken,
  onUnauthorized: () => signOut('Your token is no longer accepted (it may have been revoked).'),
});

/** @param {string} message */
function announce(message) {
  announcer.textContent = '';
  // A fresh text node after a tick, so the same message is announced again.
  setTimeout(() => (announcer.textContent = message), 50);
}

/**
 * @param {View} view
 * @param {AbortController | null} controller
 */
function mount(view, controller) {
  current?.controller.abort();
  current?.view.destroy?.();
  current = controller ? { controller, view } : null;
  replace(main, view.element);
  document.title = `${view.title} · Concord`;
  if (!firstRender) view.heading.focus();
  firstRender = false;
}

/** @param {import('./router.js').Route} route */
function renderRoute(route) {
  if (!role) return;
  const controller = new AbortController();
  const make = VIEWS[route.name] ?? notFoundView;
  const view = make({ api, role, signal: controller.signal, announce }, route.params);
  mount(view, controller);
  const section = route.name === 'report' || route.name === 'transcript' ? 'reports' : route.name;
  for (const link of nav.querySelectorAll('a[data-route]')) {
    if (link.getAttribute('data-route') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** @param {import('./role.js').Role} detected */
function enter(detected) {
  role = detected;
  roleBadge.textContent = detected;
  roleBadge.setAttribute('data-role', detected);
  nav.hidden = false;
  account.hidden = false;
  stopRoutes = watchRoutes(renderRoute);
}

/** @param {string | null} [notice] */
function signOut(notice = null) {
  if (!role) return; // already signed out (several calls can fail with 401 at once)
  role = null;
  clearToken();
  stopRoutes?.();
  stopRoutes = null;
  nav.hidden = true;
  account.hidden = true;
  roleBadge.textContent = '—';
  roleBadge.setAttribute('data-role', '');
  showSignIn(notice);
  announce(notice ?? 'Signed out.');
}

/** @param {string | null} notice */
function showSignIn(notice) {
  const view = signInView({
    notice,
    async signIn(token) {
      const detected = await detectRole(createApi({ token: () => token }));
      saveToken(token);
      announce(`Signed in as ${detected}.`);
      enter(detected);
    },
  });
  mount(view, null);
}

/**
 * @param {ViewContext} _ctx
 * @param {Record<string, string>} params
 * @returns {View}
 */
function notFoundView(_ctx, params) {
  const heading = h('h1', { tabindex: -1 }, 'Page not found');
  return {
    title: 'Not found',
    heading,
    element: h(
      'section',
      { class: 'card' },
      heading,
      h('p', null, `There is no page at “${params.path ?? ''}”.`),
      h('p', null, h('a', { href: '#/catalogue' }, 'Go to the catalogue')),
    ),
  };
}

async function boot() {
  on(/** @type {HTMLElement} */ (document.getElementById('sign-out')), 'click', () => signOut());
  // The skip link moves focus without changing the address (the hash holds the route).
  on(/** @type {HTMLElement} */ (document.querySelector('.skip-link')), 'click', (event) => {
    event.preventDefault();
    main.focus();
  });
  const token = loadToken();
  if (!token) {
    showSignIn(null);
    return;
  }
  try {
    enter(await detectRole(createApi({ token: () => token })));
  } catch (error) {
    clearToken();
    showSignIn(
      error instanceof ApiError && error.status === 401
        ? 'Your saved token is no longer accepted. Sign in again.'
        : 'The coordinator could not be reached to check your token. Sign in again.',
    );
  }
}

void boot();
