/**
 * Fault-injection points for the fault suite (in the spirit of FreeBSD's fail(9) and etcd's
 * gofail): a named place in a process where a test can freeze it, so that what the test then
 * does from outside — `kill -9`, SIGTERM, dropping its sockets, stopping the database — happens
 * at exactly that phase of a session, not at a moment guessed from timing.
 *
 * Inert unless `CONCORD_FAILPOINTS` lists the point (comma-separated names). When a listed point
 * is reached the first time, the process writes `failpoint <name> reached` to stderr and stops
 * itself with SIGSTOP; the test continues it with SIGCONT or kills it. Nothing else changes.
 */
const armed = new Set(
  (process.env.CONCORD_FAILPOINTS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0),
);

export function failpoint(name: string): void {
  if (armed.size === 0 || !armed.delete(name)) return;
  process.stderr.write(`failpoint ${name} reached\n`);
  process.kill(process.pid, 'SIGSTOP');
}

/** Whether any fault-injection point is armed in this process (for a startup warning). */
export function failpointsArmed(): readonly string[] {
  return [...armed];
}
