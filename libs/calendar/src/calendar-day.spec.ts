import { describe, expect, it } from 'vitest';
import { dayNumber, dayText } from './calendar-day.js';

describe('calendar days', () => {
  it('counts real dates from 1970-01-01 and writes them back', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-03-10')).toBe(20522);
    for (const date of ['2024-02-29', '2026-03-10', '2026-12-31', '2027-01-01'])
      expect(dayText(dayNumber(date)!)).toBe(date);
    expect(dayText(dayNumber('2026-03-09')! + 7)).toBe('2026-03-16');
  });

  it('refuses what is not a real YYYY-MM-DD date', () => {
    for (const text of ['2026-02-30', '2025-02-29', '2026-3-1', '2026-03-10T00:00:00Z', '', 'x'])
      expect(dayNumber(text), text).toBeUndefined();
  });
});
