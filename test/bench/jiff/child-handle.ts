// A forked Node child with a JSON IPC channel, a tail of its output for error notes, and a kill
// that waits for the exit. Plus a waiter that re-checks a condition whenever a child reports.
import { type ChildProcess, fork } from 'node:child_process';

const TAIL_CHARS = 2000;

export class ChildHandle<Out> {
  private readonly child: ChildProcess;
  private output = '';
  private readonly exitPromise: Promise<void>;
  private exitText: string | null = null;

  constructor(
    readonly name: string,
    script: string,
    config: unknown,
    onMessage: (message: Out) => void,
    onExit: () => void,
  ) {
    this.child = fork(script, [JSON.stringify(config)], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const keepTail = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-TAIL_CHARS);
    };
    this.child.stdout?.on('data', keepTail);
    this.child.stderr?.on('data', keepTail);
    this.child.on('message', (message) => onMessage(message as Out));
    this.exitPromise = new Promise((resolve) => {
      const markExited = (text: string) => {
        if (this.exitText !== null) return;
        this.exitText = text;
        resolve();
        onExit();
      };
      this.child.once('exit', (code, signal) =>
        markExited(signal === null ? `exit code ${code}` : `signal ${signal}`),
      );
      // A process that never started emits 'error' and possibly no 'exit'.
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) markExited(`not started: ${error.message}`);
      });
    });
  }

  get exited(): boolean {
    return this.exitText !== null;
  }

  /** How it ended and the end of its output, for notes. */
  describe(): string {
    const tail = this.output.trim().split('\n').slice(-4).join(' | ');
    return `${this.name}: ${this.exitText ?? 'running'}${tail ? `; output: ${tail}` : ''}`;
  }

  send(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }

  waitExit(): Promise<void> {
    return this.exitPromise;
  }

  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exitPromise;
  }
}

/** Resolves `until` promises when their condition holds; `notify` after every state change. */
export class Waiter {
  private readonly wakers = new Set<() => void>();

  notify(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** True once `condition` holds, false if `timeoutMs` passes first. */
  until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (condition()) {
        resolve(true);
        return;
      }
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve(ok);
      };
      const wake = () => {
        if (condition()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.wakers.add(wake);
    });
  }
}
