import { AGENCY_ROLES, type AgencyRole } from '#concord/consortium';
import { fail, ID, matching, NAME, record } from './json-checks.js';
import type { JoinDefinition, ProtocolDefinition } from './protocol-definition.js';

/** The connector name the matcher's indicator input carries: the join produces it, no file. */
export const JOIN_MATCH_CONNECTOR = 'private-join-match';

/** Parses a protocol's `join` declaration (shape only; `checkJoin` checks it against the rest). */
export function parseJoin(json: unknown, at: string): JoinDefinition {
  const o = record(json, at, ['axis', 'tapHolder', 'enrolmentHolder', 'matcher']);
  const holder = (key: 'tapHolder' | 'enrolmentHolder') => {
    const h = record(o[key], `${at}.${key}`, ['party', 'connector']);
    return {
      party: role(h.party, `${at}.${key}.party`),
      connector: matching(h.connector, ID, `${at}.${key}.connector`),
    };
  };
  const m = record(o.matcher, `${at}.matcher`, ['party', 'input']);
  return {
    axis: matching(o.axis, NAME, `${at}.axis`),
    tapHolder: holder('tapHolder'),
    enrolmentHolder: holder('enrolmentHolder'),
    matcher: {
      party: role(m.party, `${at}.matcher.party`),
      input: matching(m.input, NAME, `${at}.matcher.input`),
    },
  };
}

function role(json: unknown, at: string): AgencyRole {
  if (typeof json !== 'string' || !AGENCY_ROLES.includes(json as AgencyRole)) {
    fail(`${at} must be one of ${AGENCY_ROLES.join(', ')}`);
  }
  return json as AgencyRole;
}

/**
 * The rules that make a join protocol mean what the engine computes: three distinct roles; the
 * join axis a range axis 1..capacity; the matcher's input exactly the 0/1 indicator along it;
 * every other input along the join axis the tap holder's, per card (the axis first, a declared
 * contribution bound, since a row is one card's data); the reserved connector used nowhere else.
 */
export function checkJoin(d: ProtocolDefinition): void {
  const join = d.join;
  const matchInputs = d.inputs.filter((i) => i.connector === JOIN_MATCH_CONNECTOR);
  if (!join) {
    if (matchInputs.length > 0) fail(`connector ${JOIN_MATCH_CONNECTOR} needs a join declaration`);
    return;
  }
  const roles = [join.tapHolder.party, join.enrolmentHolder.party, join.matcher.party];
  if (new Set(roles).size !== 3) fail('join roles must be three different agencies');
  const axis = d.axes.find((a) => a.name === join.axis);
  if (!axis || !('range' in axis.source) || axis.source.range[0] !== 1) {
    fail(`join axis ${join.axis} must be a declared range axis starting at 1`);
  }
  const indicator = d.inputs.find((i) => i.name === join.matcher.input);
  if (
    !indicator ||
    indicator.party !== join.matcher.party ||
    indicator.connector !== JOIN_MATCH_CONNECTOR ||
    indicator.axes.join(',') !== join.axis ||
    indicator.cell.min !== 0 ||
    indicator.cell.max !== 1 ||
    indicator.contribution !== undefined
  ) {
    fail(
      `join matcher input ${join.matcher.input} must be the matcher's 0/1 input along ${join.axis} with connector ${JOIN_MATCH_CONNECTOR} and no contribution`,
    );
  }
  if (matchInputs.length !== 1) fail(`only the matcher's input may use ${JOIN_MATCH_CONNECTOR}`);
  for (const input of d.inputs) {
    if (input === indicator || !input.axes.includes(join.axis)) continue;
    if (
      input.party !== join.tapHolder.party ||
      input.axes[0] !== join.axis ||
      !input.contribution
    ) {
      fail(
        `input ${input.name} uses the join axis: only the tap holder's per-card inputs may, with ${join.axis} first and a contribution bound`,
      );
    }
  }
}
