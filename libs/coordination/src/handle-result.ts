import { releaseDigestOfOpened, resultDigest } from '#concord/engine';
import { relaySetDigest } from '#concord/jiff-server';
import type { SessionEvent } from './events.js';
import * as to from './node-messages.js';
import { releaseOutputs } from './release.js';
import { decodeReportedValues, releaseDigestVersionOf } from './reported-values.js';
import { REPORTER } from './session-config.js';
import type { SessionContext } from './session-context.js';
import { engineOf, PARTIES } from './session-state.js';

type Result = Extract<SessionEvent, { type: 'result' }>;

const HEX32 = /^[0-9a-f]{64}$/;

/**
 * A party's result digest (the reporter's also carries the opened values, checked against the
 * plan and the digest). Once all three agree the results are released: the release entry, the
 * stored values and the move to `sealing` in one transaction, then the seal requests.
 */
export function result(ctx: SessionContext, event: Result): void {
  const { party } = event;
  const phase = ctx.phase;
  if (phase.name === 'aborting') return;
  if (event.claimedParty !== party) {
    return ctx.refuse(party, 'wrong-party', `a result for party ${event.claimedParty}`);
  }
  const recorded = ctx.state.results.get(party);
  if (recorded !== undefined && recorded !== event.digest) {
    return ctx.refuse(party, 'equivocation', 'a second, different result digest');
  }
  if (phase.name === 'sealing') return;
  if (phase.name !== 'computing') {
    return ctx.refuse(party, 'out-of-turn', 'a result before the data phase');
  }
  if (!HEX32.test(event.digest)) {
    return ctx.refuse(party, 'bad-values', 'a result digest must be 32 bytes of hex');
  }
  const needsValues = party === REPORTER && ctx.state.reporterOutputs === undefined;
  if (recorded !== undefined && !needsValues) return;
  if (party === REPORTER) {
    const reported = event.outputs ?? [];
    const decoded = decodeReportedValues(ctx.record.plan, reported);
    if (!decoded || resultDigest(ctx.id, decoded) !== event.digest) {
      return ctx.refuse(
        party,
        'bad-values',
        'reported values do not match the plan or their digest',
      );
    }
    ctx.state.reporterOutputs = {
      opened: decoded,
      releaseDigestVersion: releaseDigestVersionOf(reported),
    };
  } else if (event.outputs !== undefined) {
    return ctx.refuse(party, 'bad-values', `only party ${REPORTER} reports the values`);
  }
  if (recorded === undefined) {
    ctx.state.results.set(party, event.digest);
    ctx.append('party.result', { party, resultDigest: event.digest });
  }
  if (ctx.state.results.size < 3 || ctx.state.reporterOutputs === undefined) return ctx.commit();
  const digests = new Set(ctx.state.results.values());
  if (digests.size !== 1) {
    return ctx.abort('results-disagree', 'the parties opened different results', 'coordinator');
  }
  release(ctx, event.digest);
}

function release(ctx: SessionContext, digest: string): void {
  const engine = engineOf(ctx.phase)!;
  if (engine === 'jiff') recordJiffRelay(ctx);
  const { opened, releaseDigestVersion } = ctx.state.reporterOutputs!;
  const plan = ctx.record.plan;
  const outputs = releaseOutputs(plan, opened);
  const entry = ctx.append('session.results', {
    resultDigest: digest,
    releaseDigest: releaseDigestOfOpened(plan, opened, releaseDigestVersion),
    ...(releaseDigestVersion === 2 ? { releaseDigestVersion } : {}),
    outputs: outputs.map((o) => ({
      name: o.name,
      cells: o.cells,
      intervalHalfWidth: o.intervalHalfWidth.toString(),
    })),
  });
  ctx.write({ op: 'release', outputs });
  ctx.enter({ name: 'sealing', engine, head: entry.hash });
  ctx.commit();
  ctx.milestone('released');
  ctx.sendAll(to.sealRequest(ctx.id, ctx.state.entries));
}

/**
 * JIFF mode, once all three results are in (every message a party sent has reached its
 * receiver): one entry per direction with the count and set digest of what the endpoint relayed,
 * which each party checks against what it sent and received before sealing.
 */
function recordJiffRelay(ctx: SessionContext): void {
  for (const from of PARTIES) {
    for (const to of PARTIES) {
      if (from === to) continue;
      const { messages, digest } = relaySetDigest(ctx.state.jiffRelay.get(`${from}>${to}`) ?? []);
      ctx.append('jiff.relay', { from, to: to, messages, digest });
    }
  }
}
