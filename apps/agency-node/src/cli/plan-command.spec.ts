import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '#concord/errors';
import { planCommand } from './plan-command.js';

function run(options: Parameters<typeof planCommand>[0]): { code: number; text: string } {
  let text = '';
  const code = planCommand(options, (t) => (text += t));
  return { code, text };
}

describe('concord plan', () => {
  it('prints every output’s half-width and the report’s one ε at a budget', () => {
    const { code, text } = run({ protocol: 'revenue-per-boarding', budget: '1/2' });
    expect(code).toBe(0);
    expect(text).toContain('boardings: ±27 boardings on every cell');
    expect(text).toContain('privacy: ε = 6.475 at δ = 1e-9 (ρ = 1/2)');
  });

  it('prints the budget a half-width needs, and exits 1 when no allowed budget reaches it', () => {
    const reached = run({ protocol: 'revenue-per-boarding', halfWidth: '27', output: 'boardings' });
    expect(reached.code).toBe(0);
    expect(reached.text).toMatch(
      /^boardings: budget \S+ gives ±(2[0-7]|1\d) boardings \(target ±27\)\n$/,
    );
    const json = JSON.parse(
      run({ protocol: 'revenue-per-boarding', halfWidth: '1', output: 'boardings', json: true })
        .text,
    ) as { needed: { budget: string | null }[] };
    expect(json.needed[0].budget).toBeNull();
    expect(
      run({ protocol: 'revenue-per-boarding', halfWidth: '1', output: 'boardings' }).code,
    ).toBe(1);
  });

  it('refuses neither or both of --budget and --half-width, and an unknown protocol', () => {
    expect(() => run({ protocol: 'revenue-per-boarding' })).toThrow(ConfigurationError);
    expect(() => run({ protocol: 'revenue-per-boarding', budget: '1', halfWidth: '2' })).toThrow(
      ConfigurationError,
    );
    expect(() => run({ protocol: 'no-such', budget: '1' })).toThrow(ConfigurationError);
  });
});
