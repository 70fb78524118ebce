/**
 * A session's life: created (plan fixed, budget charged) → inviting (nodes asked to accept) →
 * running (keys exchanged, rounds relayed) → sealing (results stored, transcript out for
 * signatures) → completed; any non-final state may go to aborted.
 */
export type SessionState = 'created' | 'inviting' | 'running' | 'sealing' | 'completed' | 'aborted';

const NEXT: Readonly<Record<SessionState, readonly SessionState[]>> = {
  created: ['inviting', 'aborted'],
  inviting: ['running', 'aborted'],
  running: ['sealing', 'aborted'],
  sealing: ['completed', 'aborted'],
  completed: [],
  aborted: [],
};

export function canTransition(from: SessionState, to: SessionState): boolean {
  return NEXT[from].includes(to);
}

export function isFinal(state: SessionState): boolean {
  return NEXT[state].length === 0;
}
