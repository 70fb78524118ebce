import { Worker } from 'node:worker_threads';
import { builtWorkerUrl, workerExecArgv } from '#concord/worker-script';
import type { GroupBatch, GroupBatchFailure } from './group-batch.js';
import type { GroupWorkerReply, GroupWorkerRequest } from './group-worker-protocol.js';

/**
 * Where a join step's batches of group operations can run besides the driving thread. A port:
 * the engine takes any implementation (tests pass an in-process one).
 */
export interface GroupWorkers {
  /** How many batches may be computing at once. */
  readonly parallelism: number;
  /** The batch's outputs or refusal; rejects only when the thread itself failed. */
  compute(batch: GroupBatch): Promise<Uint8Array | GroupBatchFailure>;
}

interface Pending {
  readonly resolve: (outcome: Uint8Array | GroupBatchFailure) => void;
  readonly reject: (e: Error) => void;
}

/**
 * A fixed pool of worker threads computing batches of group operations (`group-worker.ts`), one
 * batch per thread at a time. Threads start when the first batch comes and are unreferenced while
 * idle, so an idle pool never keeps the process alive. A thread that dies fails its batch (the engine
 * then computes it itself) and is replaced on the next batch.
 */
export class GroupWorkerPool implements GroupWorkers {
  private readonly threads: (Worker | undefined)[];
  private readonly busy = new Map<Worker, number>();
  private readonly pending = new Map<number, Pending>();
  private readonly queue: GroupWorkerRequest[] = [];
  private nextId = 0;
  private closed = false;

  private readonly script: URL | undefined;

  /** `locate` finds the worker script (tests give one that finds none). */
  constructor(
    readonly parallelism: number,
    locate: () => URL | undefined = () => builtWorkerUrl('group-worker.js', import.meta.url),
  ) {
    this.threads = new Array<Worker | undefined>(Math.max(1, Math.floor(parallelism)));
    this.script = locate();
  }

  compute(batch: GroupBatch): Promise<Uint8Array | GroupBatchFailure> {
    if (this.closed) return Promise.reject(new Error('the group worker pool is closed'));
    if (this.script === undefined) {
      return Promise.reject(new Error('the group worker script is missing: run npm run build'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, batch });
      this.dispatch();
    });
  }

  /** Stops every thread; batches still computing fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.filter((t): t is Worker => t !== undefined);
    this.threads.fill(undefined);
    await Promise.all(threads.map((t) => t.terminate()));
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error('the group worker pool closed'));
    }
  }

  private dispatch(): void {
    for (let i = 0; i < this.threads.length && this.queue.length > 0; i++) {
      const thread = (this.threads[i] ??= this.spawn(i));
      if (this.busy.has(thread)) continue;
      const request = this.queue.shift()!;
      this.busy.set(thread, request.id);
      thread.ref(); // a batch in flight keeps the process alive; an idle thread does not
      thread.postMessage(request);
    }
  }

  private spawn(slot: number): Worker {
    const thread = new Worker(this.script!, { execArgv: workerExecArgv() });
    thread.unref();
    thread.on('message', (reply: GroupWorkerReply) => {
      this.busy.delete(thread);
      thread.unref();
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (p) p.resolve('outputs' in reply ? reply.outputs : reply.failure);
      this.dispatch();
    });
    const lost = (e: Error): void => {
      if (this.threads[slot] === thread) this.threads[slot] = undefined;
      const id = this.busy.get(thread);
      this.busy.delete(thread);
      if (id !== undefined) {
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.reject(e);
      }
      if (!this.closed) this.dispatch();
    };
    thread.on('error', lost);
    thread.on('exit', (code) => lost(new Error(`a group worker exited (code ${code})`)));
    return thread;
  }
}
