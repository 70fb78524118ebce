import type { Logger } from 'pino';
import { planServiceDates, type SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { rangesInclude } from '#concord/wire';
import type { ConnectorCoverage } from '../connectors/connector-coverage.js';
import { ConnectorError } from '../connectors/connector-error.js';
import type { Connector } from '../connectors/connector.js';
import { NoDataForDateError } from '../connectors/no-data-for-date.js';
import { isJoinInput } from './plan-join.js';

/**
 * Reads an agency's inputs of a plan through its connectors (logging row counts only, never
 * values). A plan for a service date the agency's data lacks (for a weekly protocol, any of its
 * seven days) is refused with `NoDataForDateError` naming the day before the connector runs when
 * the coverage says so (a file whose scan has no row of the date), or after it when only the read
 * can tell (a database source that returned no row for the date).
 */
export async function readPlanInputs(
  plan: SessionPlan,
  party: PartyIndex,
  deps: {
    readonly connectors: Readonly<Record<string, Connector>>;
    readonly data: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly coverage: ConnectorCoverage;
    readonly logger: Logger;
  },
): Promise<Map<string, Float64Array>> {
  const serviceDate = plan.parameters.serviceDate as string | undefined;
  const inputs = new Map<string, Float64Array>();
  // A join plan's inputs along the join axis come from the join (`plan-join.ts`).
  for (const input of plan.inputs.filter((i) => i.party === party && !isJoinInput(plan, i))) {
    const connector = deps.connectors[input.connector];
    if (!connector)
      throw new ConnectorError('node', undefined, undefined, `no connector ${input.connector}`);
    // A connector without any configured data fails below with its own configuration error.
    const coverage =
      serviceDate === undefined || deps.data[input.connector] === undefined
        ? undefined
        : await deps.coverage.of(input.connector);
    const lacking =
      coverage?.kind === 'dated'
        ? planServiceDates(plan).find((day) => !rangesInclude(coverage.dates ?? [], day))
        : undefined;
    if (lacking !== undefined) throw new NoDataForDateError(input.connector, lacking);
    const { values, report } = await connector({
      plan,
      input,
      files: deps.data[input.connector] ?? {},
    });
    deps.logger.info({ sessionId: plan.sessionId, input: input.name, ...report }, 'input read');
    if (
      serviceDate !== undefined &&
      coverage !== undefined &&
      coverage.kind !== 'any-date' &&
      report.rowsRead === 0
    )
      throw new NoDataForDateError(input.connector, serviceDate);
    inputs.set(input.name, values);
  }
  return inputs;
}
