import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) this summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  /** Microseconds on the machine's monotonic clock (the one `process.hrtime` reads). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock, in microseconds (`process.hrtime.bigint() / 1000n`). */
export interface ClockWindow {
  readonly startUs: number;
  readonly endUs: number;
}

export interface ProfileLine {
  readonly frame: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProcessProfile {
  readonly file: string;
  /** `coordinator`, its PGlite worker, or `agency node`: from the code found in the profile. */
  readonly role: string;
  readonly busyMs: number;
  readonly top: readonly ProfileLine[];
}

/**
 * Self time per function of every profile in `dir`, heaviest first, counting only the samples
 * taken inside `window` (V8 and `process.hrtime` share the monotonic clock, so one window holds
 * for every process on the machine). `(idle)` is left out of the busy time: a process waiting
 * for its peers is not spending anything.
 */
export function summariseProfiles(
  dir: string,
  topN: number,
  window: ClockWindow,
): ProcessProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((file) =>
      summarise(
        file,
        JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile,
        topN,
        window,
      ),
    );
}

function summarise(
  file: string,
  profile: CpuProfile,
  topN: number,
  window: ClockWindow,
): ProcessProfile {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let clock = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    clock += delta;
    const frame = frames.get(id);
    if (!frame || clock < window.startUs || clock > window.endUs) return;
    const where = frame.url ? ` ${basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + delta / 1000);
  });
  self.delete('(idle)');
  const busyMs = [...self.values()].reduce((a, b) => a + b, 0);
  const urls = profile.nodes.map((n) => n.callFrame.url);
  // V8 writes one profile per thread: the embedded database runs in a worker of the coordinator.
  const role = urls.some((u) => u.includes('apps/coordinator/src/main.js'))
    ? 'coordinator'
    : urls.some((u) => u.includes('@electric-sql/pglite'))
      ? 'coordinator: embedded PGlite worker'
      : 'agency node';
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([frame, selfMs]) => ({ frame, selfMs, share: selfMs / busyMs }));
  return { file, role, busyMs, top };
}
