/**
 * The consortium's three agencies: their roles, pinned identity keys, and whether each node is
 * connected to the coordinator now.
 */
import { h, on, replace } from '../dom.js';
import { agencyRoleLabel } from '../privacy.js';
import { isAbort, loading, problemAlert, scrollableTable, sleep, viewHeader } from './parts.js';

const REFRESH_MS = 5000;

/**
 * @param {import('../main.js').ViewContext} ctx
 * @returns {import('../main.js').View}
 */
export function agenciesView(ctx) {
  const refresh = h('button', { type: 'button', class: 'button secondary' }, 'Refresh');
  const header = viewHeader('Agencies', refresh);
  const body = h('div', null, loading('Loading agencies…'));
  const element = h(
    'div',
    null,
    header.element,
    h(
      'p',
      null,
      'Each agency runs its own node, holds its own data and key, and checks every request against its own approved protocols and privacy ledger. A report needs all three connected.',
    ),
    body,
  );

  async function load() {
    try {
      /** @type {{ id: string, name: string, role: string, party: number, identityKey: string, connected: boolean }[]} */
      const agencies = await ctx.api.get('/agencies', { signal: ctx.signal });
      const connected = agencies.filter((a) => a.connected).length;
      replace(
        body,
        h(
          'p',
          null,
          `${connected} of ${agencies.length} agency nodes connected. Updated ${new Date().toLocaleTimeString()}.`,
        ),
        scrollableTable(
          'Agencies',
          h(
            'table',
            { 'data-agencies': '' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Agency', 'Role', 'Party', 'Node', 'Pinned identity key (Ed25519)'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              agencies.map((a) =>
                h(
                  'tr',
                  { 'data-agency': a.id },
                  h('th', { scope: 'row' }, a.name, h('br'), h('code', { class: 'hint' }, a.id)),
                  h('td', null, agencyRoleLabel(a.role)),
                  h('td', null, String(a.party)),
                  h(
                    'td',
                    { class: 'nowrap', 'data-connected': String(a.connected) },
                    h('span', { class: a.connected ? 'dot ok' : 'dot', 'aria-hidden': 'true' }),
                    a.connected ? 'Connected' : 'Not connected',
                  ),
                  h('td', null, h('code', { class: 'key' }, a.identityKey)),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      if (!isAbort(error, ctx.signal)) replace(body, problemAlert(error, 'Loading agencies'));
    }
  }

  on(refresh, 'click', () => void load());
  void (async () => {
    while (!ctx.signal.aborted) {
      await load();
      await sleep(REFRESH_MS, ctx.signal);
    }
  })();
  return { title: 'Agencies', element, heading: header.heading };
}
