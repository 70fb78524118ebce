import { describe, expect, it } from 'vitest';
import { analyzeProtocol } from './analyze-protocol.js';
import { parseProtocolDefinition } from './parse-protocol.js';
import { ProtocolError } from './protocol-error.js';
import { compileSessionPlan, planServiceDates } from './session-plan.js';

/** One payments input summed over stops: the smallest protocol with a date and a window. */
function definition(window: unknown): Record<string, unknown> {
  return {
    id: 'window-test',
    version: '1.0.0',
    title: 'Test',
    summary: 'A protocol for tests.',
    parameters: [{ name: 'serviceDate', type: 'date', description: 'first day' }],
    privacyUnit: { entity: 'rider', window, scope: 'test-scope' },
    axes: [{ name: 'stop', source: { public: 'gtfs-stops' }, maxSize: 10 }],
    inputs: [
      {
        name: 'taps',
        party: 'payments',
        connector: 'taps-by-stop',
        axes: ['stop'],
        unit: 'taps',
        cell: { min: 0, max: 100 },
        contribution: { total: 8, perCell: 2, enforcement: 'connector' },
      },
    ],
    outputs: [
      {
        name: 'all_taps',
        title: 'All taps',
        expression: { sumOver: { of: { input: 'taps' }, axis: 'stop' } },
        unit: 'taps',
        budgetShare: '1',
      },
    ],
    derived: [],
    privacy: { mechanism: 'discrete-gaussian', minBudget: '1/100', maxBudget: '1' },
    field: 'auto',
  };
}

const plan = (window: string, serviceDate: string) =>
  compileSessionPlan(analyzeProtocol(parseProtocolDefinition(definition(window))), {
    sessionId: 's',
    parameters: { serviceDate },
    axisValues: { stop: ['a', 'b'] },
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });

describe('privacy-unit windows in plans', () => {
  it('charges a day protocol its service date and a weekly one the seven days from it', () => {
    const day = plan('service-day', '2026-03-31');
    expect(day.privacyUnit.window).toBe('2026-03-31');
    expect(planServiceDates(day)).toEqual(['2026-03-31']);
    const week = plan('service-week', '2026-03-31');
    expect(week.privacyUnit.window).toBe('2026-03-31..2026-04-06');
    expect(planServiceDates(week)).toHaveLength(7);
    expect(planServiceDates(week).at(-1)).toBe('2026-04-06');
  });

  it('refuses a window it does not know, naming the ones it does', () => {
    let error: unknown;
    try {
      parseProtocolDefinition(definition('service-month'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toMatch(/"service-day", "service-week"/);
  });
});
