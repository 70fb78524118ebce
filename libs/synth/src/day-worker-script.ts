// Where the day worker's script is (next to this module).
import { builtWorkerUrl } from '#concord/worker-script';

export { workerExecArgv } from '#concord/worker-script';

/** The day worker's script, for the module at `here` (this module by default). */
export function dayWorkerUrl(here: string = import.meta.url): URL | undefined {
  return builtWorkerUrl('day-worker.js', here);
}
