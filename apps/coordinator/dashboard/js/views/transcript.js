/**
 * A session's transcript: the coordinator's verification of it, the agencies' seals, and every
 * entry of the hash chain (filterable by kind, each body viewable in full).
 */
import { download } from '../csv.js';
import { h, on, replace, uniqueId } from '../dom.js';
import { formatTime, shortHash } from '../format.js';
import { entryKindLabel, stateLabel, stateTone } from '../privacy.js';
import { reportHref } from '../router.js';
import { abortedBy, verdictOf } from '../verification.js';
import { isAbort, loading, problemAlert, scrollableTable, section, viewHeader } from './parts.js';

const PAGE = 100;

/**
 * @typedef {{ seq: number, kind: string, at: string, body: Record<string, any>, prevHash: string, hash: string }} Entry
 * @typedef {{ party: number, agencyId: string, headHash: string, signature: string }} Seal
 */

/**
 * @param {import('../main.js').ViewContext} ctx
 * @param {Record<string, string>} params
 * @returns {import('../main.js').View}
 */
export function transcriptView(ctx, { id }) {
  const header = viewHeader('Transcript', h('a', { href: reportHref(id) }, 'Back to the report'));
  const body = h('div', { class: 'stack' }, loading('Loading the transcript…'));
  const element = h('div', { class: 'stack', 'data-transcript': id }, header.element, body);
  Promise.all([
    ctx.api.get(`/sessions/${id}/transcript`, { signal: ctx.signal }),
    ctx.api.get(`/sessions/${id}/verification`, { signal: ctx.signal }),
  ])
    .then(([transcript, verification]) => {
      const entries = entriesSection(transcript);
      replace(
        body,
        summary(transcript),
        verificationSection(verification, entries.reveal),
        sealsSection(transcript),
        entries.element,
      );
    })
    .catch((error) => {
      if (!isAbort(error, ctx.signal)) replace(body, problemAlert(error, 'Loading the transcript'));
    });
  return { title: 'Transcript', element, heading: header.heading };
}

/** @param {any} transcript */
function summary(transcript) {
  const entries = /** @type {Entry[]} */ (transcript.entries ?? []);
  const head = entries.length ? entries[entries.length - 1].hash : 'none';
  const button = h(
    'button',
    { type: 'button', class: 'button secondary' },
    'Download transcript (JSON)',
  );
  on(button, 'click', () =>
    download(
      `transcript-${transcript.sessionId}.json`,
      JSON.stringify(transcript, null, 2),
      'application/json',
    ),
  );
  return h(
    'div',
    { class: 'card' },
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Session'),
      h('dd', null, h('code', null, transcript.sessionId)),
      h('dt', null, 'State'),
      h(
        'dd',
        null,
        h('span', { class: stateTone(transcript.state) }, stateLabel(transcript.state)),
      ),
      h('dt', null, 'Protocol'),
      h(
        'dd',
        null,
        `${transcript.protocol?.id ?? '?'} ${transcript.protocol?.version ?? ''} · `,
        h('code', { class: 'key' }, transcript.protocol?.hash ?? ''),
      ),
      h('dt', null, 'Plan hash'),
      h('dd', null, h('code', { class: 'key' }, transcript.planHash ?? '')),
      h('dt', null, 'Head hash'),
      h('dd', null, h('code', { class: 'key' }, head)),
      h('dt', null, 'Entries'),
      h('dd', null, String(entries.length)),
    ),
    h('div', { class: 'row' }, button),
    h(
      'p',
      { class: 'hint' },
      'To check it yourself, with your own copy of the consortium file: concord audit verify transcript.json --consortium consortium.json',
    ),
  );
}

/**
 * @param {import('../verification.js').Verification} verification
 * @param {(seq: number) => void} reveal  shows and focuses an entry
 */
function verificationSection(verification, reveal) {
  const checks = verification.checks ?? [];
  const verdict = verdictOf(verification);
  return section(
    'Verification',
    h(
      'div',
      {
        class: verdict.state === 'failed' ? 'alert bad' : 'alert ok',
        role: 'status',
        'data-verification': verdict.state,
      },
      h('p', { class: 'alert-title' }, verdict.title),
      verdict.lines.map((line) => h('p', null, line)),
      verdict.failed.length
        ? h(
            'ul',
            { 'data-failed-checks': '' },
            verdict.failed.map((c) => h('li', null, h('strong', null, c.name), `: ${c.detail}`)),
          )
        : null,
    ),
    h(
      'p',
      { class: 'hint' },
      'These checks were run by the coordinator against the agency keys it has pinned and its own catalogue, over the export below (with the values it serves). An auditor should repeat them with their own consortium file.',
    ),
    h(
      'ul',
      { class: 'checks' },
      checks.map((c) =>
        h(
          'li',
          { 'data-ok': String(c.ok), 'data-check': c.name },
          h('span', { class: 'check-mark', 'aria-hidden': 'true' }, c.ok ? '✓' : '✗'),
          h('strong', null, c.name),
          h('span', { class: 'visually-hidden' }, c.ok ? ' passed' : ' failed'),
          `: ${c.detail}`,
          c.seq === undefined ? null : entryButton(c.seq, reveal),
        ),
      ),
    ),
  );
}

/**
 * @param {number} seq
 * @param {(seq: number) => void} reveal
 */
function entryButton(seq, reveal) {
  const button = h('button', { type: 'button', class: 'button secondary' }, `Show entry ${seq}`);
  on(button, 'click', () => reveal(seq));
  return h('span', null, ' ', button);
}

/** @param {any} transcript */
function sealsSection(transcript) {
  const seals = /** @type {Seal[]} */ (transcript.seals ?? []);
  const entries = /** @type {Entry[]} */ (transcript.entries ?? []);
  const head = entries.length ? entries[entries.length - 1].hash : '';
  return section(
    'Seals',
    h(
      'p',
      null,
      seals.length === 3
        ? 'All three agencies signed the transcript head with their identity keys.'
        : `${seals.length} of 3 agencies signed the transcript head.`,
    ),
    seals.length
      ? scrollableTable(
          'Seals',
          h(
            'table',
            { 'data-seals': '' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Party', 'Agency', 'Signed head', 'Signature'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              seals.map((s) =>
                h(
                  'tr',
                  null,
                  h('td', null, String(s.party)),
                  h('td', null, s.agencyId),
                  h(
                    'td',
                    null,
                    h('code', { title: s.headHash }, shortHash(s.headHash)),
                    s.headHash === head ? ' (the current head)' : ' (not the current head)',
                  ),
                  h('td', null, h('code', { title: s.signature }, shortHash(s.signature, 16))),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

/**
 * @param {any} transcript
 * @returns {{ element: HTMLElement, reveal(seq: number): void }}
 */
function entriesSection(transcript) {
  const entries = /** @type {Entry[]} */ (transcript.entries ?? []);
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const filterId = uniqueId('kind');
  const filter = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: filterId },
      h('option', { value: '' }, `All kinds (${entries.length})`),
      [...counts].map(([kind, n]) =>
        h('option', { value: kind }, `${entryKindLabel(kind)} (${n})`),
      ),
    )
  );
  const tbody = h('tbody');
  const more = h('div', { class: 'row' });
  const table = h(
    'table',
    { 'data-entries': '' },
    h(
      'caption',
      null,
      'Each entry names the hash of the one before it, so no entry can be removed, reordered or edited without breaking the chain.',
    ),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['#', 'Kind', 'Recorded', 'What happened', 'Hash'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    tbody,
  );

  /** @param {number} limit */
  function fill(limit) {
    const shown = entries.filter((e) => !filter.value || e.kind === filter.value);
    replace(
      tbody,
      shown
        .slice(0, limit)
        .map((e) =>
          h(
            'tr',
            { id: `entry-${e.seq}`, 'data-kind': e.kind, tabindex: -1 },
            h('td', null, String(e.seq)),
            h('td', null, entryKindLabel(e.kind), h('br'), h('code', { class: 'hint' }, e.kind)),
            h('td', null, formatTime(e.at)),
            h(
              'td',
              null,
              describeEntry(e),
              h(
                'details',
                null,
                h('summary', null, 'Full entry'),
                h('pre', null, JSON.stringify(e, null, 2)),
              ),
            ),
            h('td', null, h('code', { title: e.hash }, shortHash(e.hash))),
          ),
        ),
    );
    if (shown.length > limit) {
      const button = h(
        'button',
        { type: 'button', class: 'button secondary' },
        `Show ${Math.min(PAGE, shown.length - limit)} more`,
      );
      on(button, 'click', () => fill(limit + PAGE));
      replace(
        more,
        h('span', { class: 'muted' }, `Showing ${limit} of ${shown.length} entries.`),
        button,
      );
    } else replace(more);
  }
  on(filter, 'change', () => fill(PAGE));
  fill(PAGE);
  return {
    element: section(
      'Entries',
      h('div', { class: 'field' }, h('label', { for: filterId }, 'Show entries of kind'), filter),
      scrollableTable('Transcript entries', table),
      more,
    ),
    reveal(seq) {
      filter.value = '';
      const position = entries.findIndex((e) => e.seq === seq);
      fill(Math.max(PAGE, position + 1));
      const row = tbody.querySelector(`#entry-${seq}`);
      if (row instanceof HTMLElement) {
        row.scrollIntoView({ block: 'center' });
        row.focus();
      }
    },
  };
}

/**
 * One line saying what an entry records.
 * @param {Entry} e
 * @returns {string}
 */
function describeEntry(e) {
  const b = e.body ?? {};
  switch (e.kind) {
    case 'session.created':
      return `Session opened for ${b.protocol?.id ?? 'a protocol'} ${b.protocol?.version ?? ''}, budget ρ = ${b.budget?.rho ?? '?'} charged to ${b.ledger?.scope ?? '?'} / ${b.ledger?.window ?? '?'}.`;
    case 'party.accepted':
      return `${b.agency ?? 'An agency'} (party ${b.party ?? '?'}) accepted and signed its session key.`;
    case 'noise.committed':
      return `Party ${b.party ?? '?'} committed to its noise before any data moved.`;
    case 'envelope':
      return `${b.round ?? '?'} round: party ${b.from ?? '?'} → party ${b.to ?? '?'}, ${b.bytes ?? '?'} encrypted bytes${Number(b.chunks) > 1 ? ` (chunk ${Number(b.chunk) + 1} of ${b.chunks})` : ''}; the coordinator saw only its digest.`;
    case 'jiff.started':
      return `JIFF data phase began (computation ${shortHash(String(b.computationId ?? ''))}, prime ${b.prime ?? '?'}, ${b.partyCount ?? '?'} parties) after every noise commitment.`;
    case 'jiff.relay':
      return `JIFF messages relayed from party ${b.from ?? '?'} to party ${b.to ?? '?'}: ${b.messages ?? '?'}, set digest ${shortHash(String(b.digest ?? ''))}.`;
    case 'party.result':
      return `Party ${b.party ?? '?'} reported result digest ${shortHash(String(b.resultDigest ?? ''))}.`;
    case 'session.results':
      return `Results released: ${(Array.isArray(b.outputs) ? b.outputs : []).map((o) => `${o.name} (${o.cells} cells, ±${o.intervalHalfWidth})`).join(', ')}; release digest ${shortHash(String(b.releaseDigest ?? ''))} covers every published value, unit and interval.`;
    case 'party.aborted':
      return `Party ${b.party ?? '?'} stopped the session (${b.code ?? '?'})${b.message ? `: ${b.message}` : ''}${Array.isArray(b.suspects) && b.suspects.length ? `; it suspects ${b.suspects.map((p) => `party ${p}`).join(' and ')}` : ''}.`;
    case 'session.aborted':
      return `Session aborted by ${b.by === undefined ? '?' : abortedBy(b.by)}: ${b.code ?? '?'}${b.message ? `: ${b.message}` : ''}${b.dataPhaseStarted ? ' (after its data phase began)' : ' (before its data phase)'}.`;
    case 'ledger.refunded':
      return `Privacy budget refunded: ρ = ${b.rho ?? '?'}${b.xi ? `, ξ = ${b.xi}` : ''}.`;
    default:
      return Object.keys(b).join(', ');
  }
}
