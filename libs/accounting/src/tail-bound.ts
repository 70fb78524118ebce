/**
 * An upper bound on P(|N| > h) for integer h >= 0, non-increasing in h: what a (1 - alpha)
 * interval needs. Every implementation bounds its rounding and truncation so that the bound is
 * never below the exact tail.
 */
export type TailBound = (h: number) => number;
