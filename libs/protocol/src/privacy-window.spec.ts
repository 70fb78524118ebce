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

  it('charges a 30-day protocol each of the thirty days from its date, across a month end', () => {
    const month = plan('service-30-days', '2026-03-10');
    expect(month.privacyUnit.window).toBe('2026-03-10..2026-04-08');
    const dates = planServiceDates(month);
    expect(dates).toHaveLength(30);
    expect(dates[0]).toBe('2026-03-10');
    expect(dates).toContain('2026-03-31');
    expect(dates).toContain('2026-04-01');
    expect(dates.at(-1)).toBe('2026-04-08');
    expect(new Set(dates).size).toBe(30);
  });

  it('accepts a per-day bound over 30 days as over a week, and refuses it on a single day', () => {
    const withPerDay = (window: string): Record<string, unknown> => {
      const d = definition(window);
      const [taps] = d.inputs as Record<string, unknown>[];
      return {
        ...d,
        inputs: [
          {
            ...taps,
            contribution: {
              total: 240,
              perCell: 60,
              rows: 240,
              perDay: { total: 8, rows: 8 },
              enforcement: 'connector',
            },
          },
        ],
      };
    };
    const month = parseProtocolDefinition(withPerDay('service-30-days'));
    expect(month.inputs[0].contribution?.perDay).toEqual({ total: 8, rows: 8 });
    const compiled = compileSessionPlan(analyzeProtocol(month), {
      sessionId: 's',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { stop: ['a', 'b'] },
      budget: '1/2',
      parties: { transit: 1, payments: 2, planning: 3 },
    });
    expect(compiled.inputs[0].contribution?.perDay).toEqual({ total: 8, rows: 8 });
    expect(() => parseProtocolDefinition(withPerDay('service-day'))).toThrow(
      /perDay needs a privacy unit of several days/,
    );
  });

  it('refuses a window it does not know, naming the ones it does', () => {
    let error: unknown;
    try {
      parseProtocolDefinition(definition('service-month'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toMatch(
      /"service-day", "service-week", "service-30-days"/,
    );
  });
});
