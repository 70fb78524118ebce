import { type City } from './city.js';
import { zoneEquityFlags } from './planning-views.js';
import { operatingDayType } from './time-format.js';

export interface CalibrationCheck {
  id: string;
  description: string;
  value: number;
  /** Inclusive acceptance range. */
  lower: number;
  upper: number;
  /** Asserted checks decide `pass`; the others are reported for information. */
  asserted: boolean;
  pass: boolean;
}

export interface CalibrationReport {
  seed: string;
  scale: string;
  serviceDate: string;
  checks: CalibrationCheck[];
  /** Every asserted check passed. */
  pass: boolean;
}

const CONCESSIONS = new Set(['reduced', 'low_income']);

/**
 * The generator's calibration checks (libs/synth/README.md, 'Calibration') that apply to one
 * service day: asserted are daily boardings vs target, hourly profile, top-decile stop share,
 * transfer share and (with the equity disparity on) a higher concession share in low-income zones;
 * average fare, cap hits, boardings per token-day and quiet stops are reported only.
 */
export function calibrateCity(city: City): CalibrationReport {
  const stats = city.truth.stats;
  const demand = city.params.demand;
  const checks: CalibrationCheck[] = [];
  const add = (
    id: string,
    description: string,
    value: number,
    lower: number,
    upper: number,
    asserted: boolean,
  ): void => {
    checks.push({
      id,
      description,
      value,
      lower,
      upper,
      asserted,
      pass: value >= lower && value <= upper,
    });
  };

  add(
    'daily-boardings',
    'true boardings / target (population x boardings per capita)',
    stats.boardings / city.truth.targetBoardings,
    0.98,
    1.02,
    true,
  );

  const profile =
    operatingDayType(city.serviceDate) === 'weekday'
      ? demand.weekdayProfile
      : demand.weekendProfile;
  const profileTotal = profile.reduce((a, b) => a + b, 0);
  const worst = Math.max(
    ...stats.boardingsByHour.map((b, h) =>
      Math.abs((100 * b) / Math.max(stats.boardings, 1) - (100 * profile[h]) / profileTotal),
    ),
  );
  add(
    'hourly-profile',
    'largest |share of boardings in an hour - profile|, points',
    worst,
    0,
    0.5,
    true,
  );

  const byStop = [...stats.boardingsByStop].sort((a, b) => b - a);
  const decile = Math.ceil(byStop.length / 10);
  const topShare =
    byStop.slice(0, decile).reduce((a, b) => a + b, 0) / Math.max(stats.boardings, 1);
  add(
    'top-decile-stop-share',
    'share of boardings at the busiest 10 % of stops',
    topShare,
    0.45,
    0.55,
    true,
  );

  add(
    'transfer-share',
    'share of card boardings flagged as transfers',
    stats.transferBoardings / Math.max(stats.cardBoardings, 1),
    0.25,
    0.35,
    true,
  );

  const { concessionGap, cashGap } = equityGaps(city);
  add(
    'low-income-concession-share',
    'reduced + low-income share of card boardings: low-income zones minus the others',
    concessionGap,
    Number.MIN_VALUE,
    1,
    demand.equityDisparity,
  );
  add(
    'low-income-cash-share',
    'cash share of boardings: low-income zones minus the others',
    cashGap,
    Number.MIN_VALUE,
    1,
    false,
  );

  const revenue = city.payments.fareTransactions.reduce(
    (sum, r) => (r.fareAction === 'denied' ? sum : sum + r.amountCents),
    0,
  );
  add(
    'average-fare',
    'fare revenue per card boarding / base fare',
    revenue / Math.max(stats.cardBoardings, 1) / city.params.fares.baseCents,
    0.55,
    0.75,
    false,
  );
  add(
    'daily-cap-hits',
    'share of token-days reaching the daily cap',
    stats.cappedTokenDays / Math.max(stats.tokenDays, 1),
    0.02,
    0.05,
    false,
  );
  const [one, two] = stats.boardingsPerTokenDay;
  add(
    'one-boarding-token-days',
    'share of token-days with one boarding',
    one / Math.max(stats.tokenDays, 1),
    0.3,
    0.4,
    false,
  );
  add(
    'two-boarding-token-days',
    'share of token-days with two boardings',
    two / Math.max(stats.tokenDays, 1),
    0.4,
    0.5,
    false,
  );
  add(
    'quiet-stops',
    'share of stops with < 1 boarding',
    byStop.filter((b) => b < 1).length / Math.max(byStop.length, 1),
    0.1,
    0.15,
    false,
  );

  return {
    seed: city.seed,
    scale: city.scale,
    serviceDate: city.serviceDate,
    checks,
    pass: checks.every((c) => !c.asserted || c.pass),
  };
}

/** Concession and cash shares of boardings by riders from low-income vs other zones. */
function equityGaps(city: City): { concessionGap: number; cashGap: number } {
  const lowIncomeZone = zoneEquityFlags(city.planning.zones).lowIncome;
  const tally = [0, 1].map(() => ({ card: 0, concession: 0, all: 0, cash: 0 }));
  for (const leg of city.truth.legs) {
    const rider = city.truth.riders[leg.riderIndex];
    const t = tally[lowIncomeZone[rider.homeZone]];
    t.all++;
    if (rider.cash) t.cash++;
    else {
      t.card++;
      if (CONCESSIONS.has(rider.category)) t.concession++;
    }
  }
  const share = (a: number, b: number): number => (b > 0 ? a / b : 0);
  return {
    concessionGap:
      share(tally[1].concession, tally[1].card) - share(tally[0].concession, tally[0].card),
    cashGap: share(tally[1].cash, tally[1].all) - share(tally[0].cash, tally[0].all),
  };
}
