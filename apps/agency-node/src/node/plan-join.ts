import type { Logger } from 'pino';
import type { JoinMaterial } from '#concord/engine';
import type { SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { ConnectorError } from '../connectors/connector-error.js';
import type { Connector } from '../connectors/connector.js';
import { NoDataForDateError } from '../connectors/no-data-for-date.js';
import { ReadScope } from '../connectors/read-scope.js';
import type { TokenListConnector } from '../connectors/token-list-connector.js';

/** Whether an input lies along the plan's join axis (read by `readJoinMaterial`, not per input). */
export function isJoinInput(plan: SessionPlan, input: SessionPlan['inputs'][number]): boolean {
  return plan.join !== undefined && input.axes[0] === plan.join.axis;
}

/**
 * What this node brings to a join plan's private join: the processor's card tokens and its
 * per-card rows in that order, planning's enrolment list, or nothing for the matcher. Logs
 * counts only, never a token.
 */
export async function readJoinMaterial(
  plan: SessionPlan,
  party: PartyIndex,
  deps: {
    readonly connectors: Readonly<Record<string, Connector>>;
    readonly tokenConnectors: Readonly<Record<string, TokenListConnector>>;
    readonly data: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly logger: Logger;
  },
): Promise<JoinMaterial | undefined> {
  const join = plan.join;
  if (!join) return undefined;
  if (join.matcher.party === party) return { role: 'matcher' };
  const holder = join.tapHolder.party === party ? join.tapHolder : join.enrolmentHolder;
  const read = deps.tokenConnectors[holder.connector];
  if (!read)
    throw new ConnectorError('node', undefined, undefined, `no connector ${holder.connector}`);
  // One session's reading: the card list and the per-card rows share one parse of a file.
  const scope = new ReadScope();
  const { tokens, report } = await read({
    plan,
    files: deps.data[holder.connector] ?? {},
    scope,
  });
  deps.logger.info(
    { sessionId: plan.sessionId, connector: holder.connector, ...report },
    'join list read',
  );
  if (join.enrolmentHolder.party === party) return { role: 'enrolment-holder', tokens };
  if (tokens.length === 0)
    throw new NoDataForDateError(holder.connector, plan.parameters.serviceDate);
  const rows = new Map<string, Float64Array>();
  for (const input of plan.inputs.filter((i) => i.party === party && isJoinInput(plan, i))) {
    const connector = deps.connectors[input.connector];
    if (!connector)
      throw new ConnectorError('node', undefined, undefined, `no connector ${input.connector}`);
    const { values, report: read } = await connector({
      plan,
      input,
      files: deps.data[input.connector] ?? {},
      cards: tokens,
      scope,
    });
    deps.logger.info(
      { sessionId: plan.sessionId, input: input.name, ...read },
      'per-card input read',
    );
    rows.set(input.name, values);
  }
  return { role: 'tap-holder', tokens, rows };
}
