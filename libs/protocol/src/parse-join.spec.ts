import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeProtocol } from './analyze-protocol.js';
import { parseProtocolDefinition } from './parse-protocol.js';
import { compileSessionPlan } from './session-plan.js';

type Json = Record<string, unknown> & {
  join: Record<string, Record<string, string> | string>;
  axes: Record<string, unknown>[];
  inputs: Record<string, unknown>[];
};
const original = (): Json =>
  JSON.parse(readFileSync('protocols/reduced-fare-use.json', 'utf8')) as Json;
const refusal = (json: Json): string => {
  try {
    parseProtocolDefinition(json);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('a protocol’s join declaration', () => {
  it('compiles into a plan naming each role’s party and the join axis capacity', () => {
    const plan = compileSessionPlan(analyzeProtocol(parseProtocolDefinition(original())), {
      sessionId: 'join-plan',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { fare_product: ['a', 'b'] },
      budget: '1/2',
      parties: { transit: 1, payments: 2, planning: 3 },
    });
    expect(plan.join).toEqual({
      axis: 'card',
      capacity: 65536,
      tapHolder: { party: 2, connector: 'card-tokens' },
      enrolmentHolder: { party: 3, connector: 'reduced-fare-enrolment' },
      matcher: { party: 1, input: 'enrolled' },
    });
  });

  it('refuses roles that are not three different agencies', () => {
    const json = original();
    json.join.matcher = { party: 'payments', input: 'enrolled' };
    expect(refusal(json)).toMatch(/three different agencies/);
  });

  it('refuses a join axis that is not a range from 1', () => {
    const json = original();
    json.axes[0] = { name: 'card', source: { range: [0, 99] }, maxSize: 100 };
    expect(refusal(json)).toMatch(/range axis starting at 1/);
  });

  it('refuses a matcher input that is not the 0/1 indicator along the join axis', () => {
    const json = original();
    json.inputs[0] = { ...json.inputs[0], cell: { min: 0, max: 2 } };
    expect(refusal(json)).toMatch(/must be the matcher's 0\/1 input/);
  });

  it('refuses another agency’s input, or one without a contribution bound, along the join axis', () => {
    const other = original();
    other.inputs[1] = { ...other.inputs[1], party: 'planning' };
    expect(refusal(other)).toMatch(/only the tap holder's per-card inputs/);
    const unbounded = original();
    delete unbounded.inputs[1].contribution;
    expect(refusal(unbounded)).toMatch(/only the tap holder's per-card inputs/);
  });

  it('refuses the reserved match connector in a protocol without a join', () => {
    const json = original();
    delete (json as Partial<Json>).join;
    expect(refusal(json)).toMatch(/needs a join declaration/);
  });
});
