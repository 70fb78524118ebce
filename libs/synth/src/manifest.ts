import { type City } from './city.js';
import { type WrittenFile } from './csv.js';
import { type CityParams, type ScaleName } from './params.js';

export const MANIFEST_FORMAT = 'concord-synth-manifest/v1';

export interface ManifestFile {
  /** Data rows, header excluded. */
  rows: number;
  bytes: number;
  sha256: string;
}

/** What was generated and how to check it: deterministic (no clock, no host paths). */
export interface CityManifest {
  format: typeof MANIFEST_FORMAT;
  seed: string;
  scale: ScaleName;
  serviceDates: string[];
  paramsHash: string;
  params: CityParams;
  /** Keyed by path relative to the output directory ("transit/stops.txt"), sorted. */
  files: Record<string, ManifestFile>;
}

/** What a manifest records about the generated data besides its files. */
export interface ManifestSource {
  seed: string;
  scale: ScaleName;
  serviceDates: readonly string[];
  paramsHash: string;
  params: CityParams;
}

export function manifestSourceOf(city: City): ManifestSource {
  return {
    seed: city.seed,
    scale: city.scale,
    // The service day, then any further day the fare or APC rows cover (`GenerateCityOptions`).
    serviceDates: [
      ...new Set([
        city.serviceDate,
        ...city.payments.fareTransactions.map((r) => r.serviceDate),
        ...city.transit.boardAlight.map((r) => r.serviceDate),
      ]),
    ].sort(),
    paramsHash: city.paramsHash,
    params: city.params,
  };
}

export function buildManifest(
  source: ManifestSource,
  written: ReadonlyMap<string, WrittenFile>,
): CityManifest {
  const files: Record<string, ManifestFile> = {};
  for (const name of [...written.keys()].sort()) {
    const f = written.get(name);
    if (f) files[name] = { rows: f.rows, bytes: f.bytes, sha256: f.sha256 };
  }
  return {
    format: MANIFEST_FORMAT,
    seed: source.seed,
    scale: source.scale,
    serviceDates: [...source.serviceDates],
    paramsHash: source.paramsHash,
    params: source.params,
    files,
  };
}
