/**
 * The coordinator's time, injected: the session core reads no clock of its own (every event
 * carries `now`), and the adapters take theirs from here, so a test can substitute one.
 */
export abstract class Clock {
  /** Epoch milliseconds. */
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
