// Lattice sums of Gaussians, the constants behind every discrete-Gaussian quantity here. Each sum
// is evaluated directly when the Gaussian is narrow (few terms matter) and through the Poisson
// summation formula when it is wide (then the dual sum has few terms): either way a handful of
// terms reaches full double precision, which is what makes sigma^2 up to 1e10 cheap.

const TWO_PI_SQUARED = 2 * Math.PI * Math.PI;
// exp(-750) underflows to 0: terms beyond this exponent cannot change a double.
const NEGLIGIBLE_EXPONENT = 750;

/** sum over integers x of exp(-(x - c)^2 / (2 v)), for v > 0. */
export function shiftedTheta(v: number, c: number): number {
  if (v < 1) {
    const reach = Math.ceil(Math.sqrt(2 * NEGLIGIBLE_EXPONENT * v)) + 2;
    let sum = 0;
    // Smallest terms first for accuracy.
    for (let x = reach; x >= 1; x -= 1) {
      sum += Math.exp(-((x - c) ** 2) / (2 * v)) + Math.exp(-((-x - c) ** 2) / (2 * v));
    }
    return sum + Math.exp(-(c * c) / (2 * v));
  }
  // Poisson: sqrt(2 pi v) sum_m exp(-2 pi^2 v m^2) cos(2 pi m c).
  const reach = Math.ceil(Math.sqrt(NEGLIGIBLE_EXPONENT / (TWO_PI_SQUARED * v))) + 1;
  let sum = 0;
  for (let m = reach; m >= 1; m -= 1) {
    sum += 2 * Math.exp(-TWO_PI_SQUARED * v * m * m) * Math.cos(2 * Math.PI * m * c);
  }
  return Math.sqrt(2 * Math.PI * v) * (1 + sum);
}

/** sum over integers x of x^2 exp(-x^2 / (2 v)), for v > 0. */
export function secondMomentTheta(v: number): number {
  if (v < 1) {
    const reach = Math.ceil(Math.sqrt(2 * NEGLIGIBLE_EXPONENT * v)) + 2;
    let sum = 0;
    for (let x = reach; x >= 1; x -= 1) sum += 2 * x * x * Math.exp(-(x * x) / (2 * v));
    return sum;
  }
  // Poisson with the transform of x^2 exp(-x^2/(2v)): sqrt(2 pi v) (v - 4 pi^2 v^2 xi^2) e^{-2 pi^2 v xi^2}.
  const reach = Math.ceil(Math.sqrt(NEGLIGIBLE_EXPONENT / (TWO_PI_SQUARED * v))) + 1;
  let sum = 0;
  for (let m = reach; m >= 1; m -= 1) {
    sum += 2 * (v - 2 * TWO_PI_SQUARED * v * v * m * m) * Math.exp(-TWO_PI_SQUARED * v * m * m);
  }
  return Math.sqrt(2 * Math.PI * v) * (v + sum);
}

/**
 * sum over (x, y) in Z^2 of exp(-Q(x - c, y - c) / (2 s)) with Q(u, v) = u^2 + v^2 + (u + v)^2:
 * the constant of the 3-fold discrete Gaussian convolution for sums congruent to 3c.
 */
export function hexagonalTheta(s: number, c: number): number {
  if (s < 1) {
    const reach = Math.ceil(Math.sqrt(2 * NEGLIGIBLE_EXPONENT * s)) + 2;
    let sum = 0;
    for (let x = -reach; x <= reach; x += 1) {
      for (let y = -reach; y <= reach; y += 1) {
        const u = x - c;
        const v = y - c;
        sum += Math.exp(-(u * u + v * v + (u + v) * (u + v)) / (2 * s));
      }
    }
    return sum;
  }
  // Poisson with Q = z^T M z, M = [[2, 1], [1, 2]], det 3, M^-1 = [[2, -1], [-1, 2]] / 3:
  // (2 pi s / sqrt 3) sum_m exp(-2 pi^2 s m^T M^-1 m) cos(2 pi (m1 + m2) c).
  const reach = Math.ceil(Math.sqrt((3 * NEGLIGIBLE_EXPONENT) / (TWO_PI_SQUARED * s))) + 1;
  let sum = 0;
  for (let m1 = -reach; m1 <= reach; m1 += 1) {
    for (let m2 = -reach; m2 <= reach; m2 += 1) {
      const form = (2 * (m1 * m1 - m1 * m2 + m2 * m2)) / 3;
      sum += Math.exp(-TWO_PI_SQUARED * s * form) * Math.cos(2 * Math.PI * (m1 + m2) * c);
    }
  }
  return ((2 * Math.PI * s) / Math.sqrt(3)) * sum;
}
