import { describe, expect, it } from 'vitest';
import { canTransition, isFinal, type SessionState } from './session-state.js';

const STATES: SessionState[] = [
  'created',
  'inviting',
  'running',
  'sealing',
  'completed',
  'aborted',
];

describe('the session state machine', () => {
  it('moves forward one step at a time and can abort from any unfinished state', () => {
    const allowed = STATES.flatMap((from) =>
      STATES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'created→inviting',
      'created→aborted',
      'inviting→running',
      'inviting→aborted',
      'running→sealing',
      'running→aborted',
      'sealing→completed',
      'sealing→aborted',
    ]);
    expect(STATES.filter(isFinal)).toEqual(['completed', 'aborted']);
  });
});
