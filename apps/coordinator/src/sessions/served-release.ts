import type { ExportedRelease } from '#concord/audit';
import type { ReleasedOutput, Session, StoredOutput } from './session.js';

/**
 * The outputs the coordinator serves for a session: its stored release, in plan order. An
 * aborted session serves none, even if it stored a release before a party refused to seal it:
 * only sealed values are published. `GET /reports/:id` and the transcript export both serve
 * exactly this, so the release digest an auditor recomputes covers what analysts read.
 */
export function servedOutputs<O extends Pick<ReleasedOutput, 'name'>>(
  session: Session,
  stored: readonly O[],
): O[] {
  if (session.state === 'aborted') return [];
  const byName = new Map(stored.map((o) => [o.name, o]));
  return session.plan.outputs.flatMap((p) => {
    const o = byName.get(p.name);
    return o ? [o] : [];
  });
}

/**
 * The release as the export carries it: each served output's stored unit, value text (the values
 * `GET /reports/:id` lists, as one text: never split into a million strings and joined again),
 * interval and confidence level. Null when nothing is served.
 */
export function exportedRelease(
  session: Session,
  stored: readonly StoredOutput[],
): ExportedRelease | null {
  const served = servedOutputs(session, stored);
  if (served.length === 0) return null;
  return {
    outputs: served.map((o) => ({
      name: o.name,
      unit: o.unit,
      values: o.values.bytes.toString('utf8'),
      intervalHalfWidth: o.intervalHalfWidth.toString(),
      confidenceLevel: o.confidenceLevel,
    })),
  };
}
