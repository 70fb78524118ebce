import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { withAllocatorTunables } from '#concord/allocator';

/** How a process ended: an exit code, or the signal that killed it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const KEPT_OUTPUT = 1_000_000;

/**
 * A child process that a fault test drives from outside with real signals: kill it at a chosen
 * moment, freeze and thaw it, await its exit, and wait for a line it writes (a failpoint). Every
 * wait has a timeout that fails with the process's own output, so a hung scenario says why.
 *
 * Linux only: whether a process is stopped is read from /proc (Node has no event for it).
 */
export class ManagedProcess {
  /** Settles when the process has exited, with its code or signal. */
  readonly exited: Promise<ProcessExit>;
  private text = '';
  private ended: ProcessExit | undefined;
  private readonly watchers = new Set<() => void>();

  private constructor(
    /** A name for messages, e.g. `coordinator` or `node metro-transit`. */
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.text = (this.text + chunk.toString()).slice(-KEPT_OUTPUT);
      for (const watch of [...this.watchers]) watch();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A failed spawn or signal: kept in the output that every failed wait shows.
    child.on('error', (e) => keep(Buffer.from(`[${name}: ${e.message}]\n`)));
    this.exited = new Promise((resolve) => {
      // `close`, not `exit`: the pipes are drained, so output() holds everything it wrote.
      child.once('close', (code, signal) => {
        this.ended = { code, signal };
        resolve(this.ended);
        for (const watch of [...this.watchers]) watch();
      });
    });
  }

  /** Starts `node <script> <args…>` with the test's environment plus `env`. */
  static spawn(
    name: string,
    script: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ): ManagedProcess {
    const child = spawn(process.execPath, [script, ...args], {
      env: withAllocatorTunables({ ...process.env, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ManagedProcess(name, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid (spawn failed)`);
    return this.child.pid;
  }

  /** Not exited yet (a stopped process is still alive). */
  get alive(): boolean {
    return this.ended === undefined;
  }

  /** Everything it wrote to stdout and stderr (the last megabyte). */
  output(): string {
    return this.text;
  }

  /** Sends one signal, nothing else. */
  send(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** SIGSTOP: frozen mid-instruction, sockets open, nothing answered. */
  pause(): void {
    this.send('SIGSTOP');
  }

  /** SIGCONT: carries on where it stopped (a failpoint or pause()). */
  resume(): void {
    this.send('SIGCONT');
  }

  /** Whether the kernel holds it stopped (by SIGSTOP or a failpoint). */
  isStopped(): boolean {
    if (!this.alive) return false;
    try {
      // /proc/<pid>/stat: "pid (comm) state …"; the command may hold spaces, the state follows ')'.
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
    } catch {
      return false;
    }
  }

  /**
   * Sends `signal` and awaits the exit. A catchable signal is followed by SIGCONT so that a stopped
   * process (at a failpoint) receives it instead of holding it pending: SIGTERM at a failpoint
   * is "SIGTERM + SIGCONT". SIGCONT to a running process does nothing.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 30_000): Promise<ProcessExit> {
    this.send(signal);
    if (signal !== 'SIGKILL' && signal !== 'SIGSTOP') this.send('SIGCONT');
    return this.waitForExit(timeoutMs);
  }

  /** Awaits the exit without sending anything. */
  waitForExit(timeoutMs = 30_000): Promise<ProcessExit> {
    return this.waitFor('its exit', () => this.ended, timeoutMs, false);
  }

  /** Resolves with the first match of `pattern` in its output (already written, or to come). */
  waitForOutput(pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
    return this.waitFor(
      `output ${String(pattern)}`,
      () => {
        if (typeof pattern === 'string') return this.text.includes(pattern) ? pattern : undefined;
        return pattern.exec(this.text)?.[0];
      },
      timeoutMs,
    );
  }

  /**
   * Resolves once the process has written `failpoint <name> reached` and the kernel has it
   * stopped: only then does SIGTERM + SIGCONT act after the stop rather than race it.
   */
  async waitForFailpoint(name: string, timeoutMs = 30_000): Promise<void> {
    await this.waitForOutput(`failpoint ${name} reached`, timeoutMs);
    // The line is written just before the process stops itself: the stop follows within moments.
    await this.waitFor(`the stop at failpoint ${name}`, () => this.isStopped() || undefined, 5000);
  }

  /**
   * Polls `probe` on every output chunk, on exit and every 10 ms (the stopped state has no event).
   * Fails on timeout, or when the process exits first (unless `failOnExit` is false).
   */
  private waitFor<T>(
    what: string,
    probe: () => T | undefined,
    timeoutMs: number,
    failOnExit = true,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (error?: Error, value?: T): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.watchers.delete(check);
        if (error) reject(error);
        else resolve(value as T);
      };
      const fail = (why: string): void =>
        finish(
          new Error(`${this.name}: ${why} while waiting for ${what}:\n${this.text.slice(-4000)}`),
        );
      const check = (): void => {
        const value = probe();
        if (value !== undefined) finish(undefined, value);
        else if (failOnExit && !this.alive)
          fail(`exited (code ${this.ended?.code}, signal ${this.ended?.signal})`);
      };
      const timer = setTimeout(() => fail(`no answer in ${timeoutMs} ms`), timeoutMs);
      const poll = setInterval(check, 10);
      this.watchers.add(check);
      check();
    });
  }
}
