import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayTypeOf,
  gtfsTime,
  gtfsTimeHour,
  isoLocalTimestamp,
  naiveTimestampSeconds,
  operatingDayType,
  timestampHour,
} from './time-format.js';
import { SynthError } from './synth-error.js';

describe('time formats', () => {
  it('writes GTFS times past midnight and reads their hour of day', () => {
    expect(gtfsTime(7 * 3600 + 45 * 60 + 12)).toBe('07:45:12');
    expect(gtfsTime(24 * 3600 + 30 * 60)).toBe('24:30:00');
    expect(gtfsTimeHour('24:30:00')).toBe(0);
    expect(gtfsTimeHour('07:59:59')).toBe(7);
    expect(() => gtfsTimeHour('7h')).toThrow(SynthError);
  });

  it('rolls event timestamps onto the next calendar day after midnight', () => {
    expect(isoLocalTimestamp('20260310', 7 * 3600 + 45 * 60 + 12)).toBe('2026-03-10T07:45:12');
    expect(isoLocalTimestamp('20260331', 24 * 3600 + 5)).toBe('2026-04-01T00:00:05');
    expect(timestampHour('2026-04-01T00:00:05')).toBe(0);
    expect(
      naiveTimestampSeconds('2026-03-11T00:10:00') - naiveTimestampSeconds('2026-03-10T23:50:00'),
    ).toBe(1200);
  });

  it('knows day types, the Christmas exception and date arithmetic', () => {
    expect(dayTypeOf('20260310')).toBe('weekday');
    expect(dayTypeOf('20260314')).toBe('saturday');
    expect(dayTypeOf('20260315')).toBe('sunday');
    expect(operatingDayType('20261225')).toBe('sunday');
    expect(addDays('20260228', 1)).toBe('20260301');
    expect(() => addDays('20260230', 1)).toThrow(SynthError);
  });
});
