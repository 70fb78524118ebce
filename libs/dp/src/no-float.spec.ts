import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// T10: the sampler package contains no floating-point math. ESLint bans the same properties in
// libs/dp/src (eslint.config.js); this test keeps the guarantee even if the lint config drifts, and
// also catches `number`-typed probabilities by name.
const sourceDir = new URL('./', import.meta.url);
const sources = readdirSync(sourceDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

describe('T10 no floating point in libs/dp/src', () => {
  it('scans every non-spec source file', () => {
    expect(sources).toContain('discrete-gaussian.ts');
    expect(sources.length).toBeGreaterThanOrEqual(10);
  });

  it('has 0 hits for Math.random|Math.log|Math.exp|Math.pow|Math.sqrt', () => {
    const hits = sources.flatMap((file) =>
      readFileSync(new URL(file, sourceDir), 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line }))
        .filter(({ text }) => /Math\.(random|log|exp|pow|sqrt)\b|Math\[/.test(text)),
    );
    expect(hits).toEqual([]);
  });

  it('types no probability, scale or variance as number', () => {
    const pattern = /\b(p|prob\w*|gamma|scale|sigma2?\w*|rho|epsilon)\s*:\s*number\b/i;
    const hits = sources.filter((file) =>
      pattern.test(readFileSync(new URL(file, sourceDir), 'utf8')),
    );
    expect(hits).toEqual([]);
  });
});
