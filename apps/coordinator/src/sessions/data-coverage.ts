import type { AgencyRole } from '#concord/consortium';
import { JOIN_MATCH_CONNECTOR, type ProtocolDefinition } from '#concord/protocol';
import { type InputCoverage, intersectDateRanges, rangesInclude } from '#concord/wire';
import type { NodeLogin } from '../gateway/node-presence.js';

/** Who holds one protocol input: the agency of its role and what its node announced. */
export interface InputHolder {
  readonly input: string;
  readonly connector: string;
  readonly role: AgencyRole;
  readonly agencyId: string | undefined;
  /** Undefined: the agency's node is not connected or has not announced its coverage. */
  readonly coverage: InputCoverage | undefined;
}

export interface CoverageLookup {
  readonly agencyOf: (
    role: AgencyRole,
  ) => { readonly id: string; readonly party: number } | undefined;
  readonly logins: () => readonly NodeLogin[];
}

/** A node that announced its coverage and lists no data for a connector holds no date of it. */
const NONE: Omit<InputCoverage, 'connector'> = { kind: 'dated', dates: [] };

/**
 * What a protocol reads from the agencies' data: its inputs, except a join's match indicator
 * (the join produces it), and a join's two token lists.
 */
function dataSources(
  definition: ProtocolDefinition,
): { readonly name: string; readonly connector: string; readonly party: AgencyRole }[] {
  const inputs = definition.inputs.filter((i) => i.connector !== JOIN_MATCH_CONNECTOR);
  const join = definition.join;
  if (!join) return inputs;
  return [
    ...inputs,
    { name: 'card tokens (join)', ...join.tapHolder },
    { name: 'enrolment list (join)', ...join.enrolmentHolder },
  ];
}

/** Each data source of a protocol with the coverage its agency's node announced for it. */
export function inputHolders(
  definition: ProtocolDefinition,
  lookup: CoverageLookup,
): InputHolder[] {
  const logins = lookup.logins();
  return dataSources(definition).map((input) => {
    const agency = lookup.agencyOf(input.party);
    const login = agency ? logins.find((l) => l.party === agency.party) : undefined;
    const coverage = login?.coverage
      ? (login.coverage.inputs.find((c) => c.connector === input.connector) ?? {
          connector: input.connector,
          ...NONE,
        })
      : undefined;
    return {
      input: input.name,
      connector: input.connector,
      role: input.party,
      agencyId: agency?.id,
      coverage,
    };
  });
}

/**
 * The inputs whose agency announced that it holds no data for `date`. Inputs of a node that is
 * not connected, has not announced, or announced `unknown` are not counted: nothing is known
 * against them (the node itself declines with `no-data-for-date` if it finds no rows).
 */
export function inputsLackingDate(holders: readonly InputHolder[], date: string): InputHolder[] {
  return holders.filter(
    (h) => h.coverage?.kind === 'dated' && !rangesInclude(h.coverage.dates ?? [], date),
  );
}

/**
 * The service dates every input of a protocol is known to hold: the intersection of the dated
 * inputs' ranges. `complete` is false when some input's coverage is not known (its node is away,
 * or announced `unknown`): then the dates are an upper bound, not a promise.
 */
export function commonServiceDates(holders: readonly InputHolder[]): {
  readonly dates: readonly string[] | null;
  readonly complete: boolean;
} {
  let dates: string[] | null = null;
  let complete = true;
  for (const h of holders) {
    if (!h.coverage || h.coverage.kind === 'unknown') complete = false;
    else if (h.coverage.kind === 'dated')
      dates =
        dates === null
          ? [...(h.coverage.dates ?? [])]
          : intersectDateRanges(dates, h.coverage.dates ?? []);
  }
  return { dates, complete };
}
