// How the stock client's worker thread is launched: its script (next to this module).
import { builtWorkerUrl } from '#concord/worker-script';

export { workerExecArgv } from '#concord/worker-script';

/** The stock client's worker script, for the module at `here` (this library's by default). */
export function jiffWorkerUrl(here: string = import.meta.url): URL | undefined {
  return builtWorkerUrl('jiff-worker.js', here);
}
