import { type ZoneRecord } from './city-records.js';
import { type ZoneParams } from './params.js';
import { apportion, clamp, logistic } from './sampling.js';
import { substream } from './substream.js';

/** Zone ground truth beyond the ACS columns: shares derived exactly from the published counts. */
export interface ZoneModel {
  records: ZoneRecord[];
  /** Low-income (<200 % FPL) share: sum(C17002_002..007) / C17002_001. */
  lowIncomeShare: number[];
  /** 1 - B03002_003E / B03002_001E. */
  minorityShare: number[];
  zeroVehicleShare: number[];
  /** exp(-r / r0): 1 at the CBD. */
  centrality: number[];
  cityRadius: number;
}

/** How the <200 % FPL population splits over the six C17002 bins below 2.0. */
const LOW_INCOME_BIN_WEIGHTS = [0.18, 0.2, 0.13, 0.13, 0.2, 0.16];

/**
 * Tracts on a jittered grid around the CBD, warped radially so tract density falls as
 * exp(-r/r0), with ACS-like demographics (libs/synth/README.md, 'Model').
 */
export function generateZones(seed: string, p: ZoneParams): ZoneModel {
  const positions = zonePositions(seed, p);
  const n = positions.length;
  const cityRadius = Math.max(...positions.map(([x, y]) => Math.hypot(x, y)), p.spacingMeters);

  const city = substream(seed, 'C', 'city', 'sectors');
  const phase1 = city.nextUniform(0, 2 * Math.PI);
  const phase2 = city.nextUniform(0, 2 * Math.PI);

  const radii = positions.map(([x, y]) => Math.hypot(x, y));
  const rMean = radii.reduce((a, b) => a + b, 0) / n;
  const rSd = Math.sqrt(radii.reduce((a, r) => a + (r - rMean) ** 2, 0) / n) || 1;

  const population: number[] = [];
  const logIncome: number[] = [];
  const minorityNoise: number[] = [];
  for (let i = 0; i < n; i++) {
    const rng = substream(seed, 'C', 'zone', i);
    const [x, y] = positions[i];
    population.push(
      Math.round(
        clamp(rng.normal(p.populationMean, p.populationSd), p.populationMin, p.populationMax),
      ),
    );
    const angle = Math.atan2(y, x);
    const sector = Math.cos(angle - phase1) + 0.5 * Math.cos(2 * (angle - phase2));
    const zr = (radii[i] - rMean) / rSd;
    const mu = Math.log(p.incomeMedian) + p.incomeSectorEffect * sector + p.incomeRadialEffect * zr;
    logIncome.push(rng.normal(mu, p.incomeLogSd));
    minorityNoise.push(rng.normal(0, p.minorityNoiseSd));
  }

  const income = logIncome.map((l) => Math.round(clamp(Math.exp(l), p.incomeMin, p.incomeMax)));
  const li = income.map((inc) => Math.log(inc));
  const liMean = li.reduce((a, b) => a + b, 0) / n;
  const liSd = Math.sqrt(li.reduce((a, v) => a + (v - liMean) ** 2, 0) / n) || 1;
  const zIncome = li.map((v) => (v - liMean) / liSd);
  const intercept = solveMinorityIntercept(population, zIncome, minorityNoise, p.minorityShare);

  const jobs = allocateJobs(seed, p, positions, population);
  const records: ZoneRecord[] = [];
  const lowIncomeShare: number[] = [];
  const minorityShare: number[] = [];
  const zeroVehicleShare: number[] = [];
  const centrality: number[] = [];
  for (let i = 0; i < n; i++) {
    const pop = population[i];
    const cent = Math.exp(-radii[i] / Math.max(p.densityDecayMeters, cityRadius / 3));
    const pLow = logistic(-0.884 - 1.863 * Math.log(income[i] / 60000));
    const pMinority = logistic(intercept - zIncome[i] + minorityNoise[i]);
    const universe = Math.round(pop * 0.97);
    const lowCount = Math.round(universe * pLow);
    const bins = [...apportion(lowCount, LOW_INCOME_BIN_WEIGHTS), universe - lowCount];
    const white = Math.round(pop * (1 - pMinority));
    const households = Math.round(pop / 2.5);
    const zeroCar = clamp(0.02 + 0.4 * pLow + 0.1 * cent, 0.01, 0.7);
    const workers = Math.round(pop * 0.47);
    const transitShare = clamp(0.01 + 0.3 * zeroCar + 0.1 * pLow + 0.05 * cent, 0, 0.6);
    const record: ZoneRecord = {
      geoid: p.stateCountyFips + String((i + 1) * 100).padStart(6, '0'),
      x: Math.round(positions[i][0]),
      y: Math.round(positions[i][1]),
      population: pop,
      medianHouseholdIncome: income[i],
      raceTotal: pop,
      whiteNonHispanic: white,
      povertyUniverse: universe,
      povertyRatioBins: bins,
      households,
      zeroVehicleHouseholds: Math.round(households * zeroCar),
      workers,
      transitCommuters: Math.round(workers * transitShare),
      jobs: jobs[i],
    };
    records.push(record);
    lowIncomeShare.push(universe > 0 ? lowCount / universe : 0);
    minorityShare.push(pop > 0 ? 1 - white / pop : 0);
    zeroVehicleShare.push(households > 0 ? record.zeroVehicleHouseholds / households : 0);
    centrality.push(cent);
  }
  return { records, lowIncomeShare, minorityShare, zeroVehicleShare, centrality, cityRadius };
}

/** Grid points nearest the centre, radially warped to density exp(-r/r0), then jittered. */
function zonePositions(seed: string, p: ZoneParams): [number, number][] {
  const k = Math.ceil(Math.sqrt((p.count * 4) / Math.PI)) + 1;
  const grid: { x: number; y: number; d: number; i: number }[] = [];
  for (let gx = 0; gx < k; gx++) {
    for (let gy = 0; gy < k; gy++) {
      const x = (gx - (k - 1) / 2) * p.spacingMeters;
      const y = (gy - (k - 1) / 2) * p.spacingMeters;
      grid.push({ x, y, d: Math.hypot(x, y), i: grid.length });
    }
  }
  grid.sort((a, b) => a.d - b.d || a.i - b.i);
  const chosen = grid.slice(0, p.count);
  const rhoMax = Math.max(...chosen.map((g) => g.d), p.spacingMeters / 2);
  return chosen.map((g, i) => {
    const scale = g.d > 0 ? warpRadius(g.d, rhoMax, p.densityDecayMeters) / g.d : 1;
    const rng = substream(seed, 'C', 'zone-geometry', i);
    const jitter = 0.25 * p.spacingMeters * Math.min(scale, 1);
    return [
      g.x * scale + rng.nextUniform(-jitter, jitter),
      g.y * scale + rng.nextUniform(-jitter, jitter),
    ];
  });
}

/**
 * Maps a uniform-grid radius rho to r so that zone counts within r follow the density
 * exp(-r/r0) in the plane (cumulative 1 - e^-x(1+x), x = r/r0), keeping the outer radius.
 */
function warpRadius(rho: number, rhoMax: number, r0: number): number {
  if (r0 <= 0) return rho;
  const cumulative = (r: number): number => 1 - Math.exp(-r / r0) * (1 + r / r0);
  const target = (rho / rhoMax) ** 2 * cumulative(rhoMax);
  let lo = 0;
  let hi = rhoMax;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (cumulative(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The intercept a with population-weighted mean of logistic(a - z + noise) equal to the target. */
function solveMinorityIntercept(
  population: number[],
  zIncome: number[],
  noise: number[],
  target: number,
): number {
  const total = population.reduce((a, b) => a + b, 0);
  const share = (a: number): number =>
    population.reduce((s, pop, i) => s + pop * logistic(a - zIncome[i] + noise[i]), 0) / total;
  let lo = -10;
  let hi = 10;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    if (share(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** CBD share near the centre, the rest Zipf(1) with sub-centres at the top ranks. */
function allocateJobs(
  seed: string,
  p: ZoneParams,
  positions: [number, number][],
  population: number[],
): number[] {
  const n = positions.length;
  const totalJobs = Math.round(population.reduce((a, b) => a + b, 0) * p.jobsPerResident);
  const cbdWeights: number[] = positions.map(([x, y]) => {
    const r = Math.hypot(x, y);
    return r <= p.cbdRadiusMeters ? Math.exp(-r / Math.max(p.cbdRadiusMeters / 2, 1)) : 0;
  });
  if (!cbdWeights.some((w) => w > 0)) cbdWeights[0] = 1;
  const rng = substream(seed, 'C', 'city', 'jobs');
  const keys = positions.map((_, i) => ({ i, key: rng.nextFloat() }));
  // Sub-centres: the zones nearest a random point at 40–70 % of the city radius.
  const radius = Math.max(...positions.map(([x, y]) => Math.hypot(x, y)), 1);
  for (let s = 0; s < Math.min(p.subCentres, n); s++) {
    const angle = rng.nextUniform(0, 2 * Math.PI);
    const r = rng.nextUniform(0.4, 0.7) * radius;
    let best = 0;
    let bestD = Infinity;
    positions.forEach(([x, y], i) => {
      const d = Math.hypot(x - r * Math.cos(angle), y - r * Math.sin(angle));
      if (d < bestD && keys[i].key >= 0) {
        bestD = d;
        best = i;
      }
    });
    keys[best].key = -1 - s; // rank first
  }
  keys.sort((a, b) => a.key - b.key || a.i - b.i);
  const zipf = new Array<number>(n).fill(0);
  keys.forEach(({ i }, rank) => (zipf[i] = (rank + 1) ** -p.jobsZipfExponent));
  const cbdJobs = apportion(Math.round(totalJobs * p.cbdJobShare), cbdWeights);
  const restJobs = apportion(totalJobs - Math.round(totalJobs * p.cbdJobShare), zipf);
  return cbdJobs.map((c, i) => c + restJobs[i]);
}
