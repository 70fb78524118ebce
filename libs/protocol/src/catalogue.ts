import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeProtocol, type ProtocolAnalysis } from './analyze-protocol.js';
import { parseProtocolDefinition } from './parse-protocol.js';
import { ProtocolError } from './protocol-error.js';
import { protocolHash } from './protocol-hash.js';

export interface CatalogueEntry {
  readonly hash: string;
  readonly analysis: ProtocolAnalysis;
}

/** The protocols a coordinator offers or a node knows, by canonical hash and by id@version. */
export class Catalogue {
  private readonly byHash = new Map<string, CatalogueEntry>();
  private readonly byName = new Map<string, CatalogueEntry>();

  constructor(definitions: readonly unknown[]) {
    for (const json of definitions) {
      const analysis = analyzeProtocol(parseProtocolDefinition(json));
      const hash = protocolHash(analysis.definition);
      const name = `${analysis.definition.id}@${analysis.definition.version}`;
      if (this.byName.has(name))
        throw new ProtocolError('invalid-definition', `protocol ${name} is declared twice`);
      const entry = { hash, analysis };
      this.byHash.set(hash, entry);
      this.byName.set(name, entry);
    }
  }

  entries(): CatalogueEntry[] {
    return [...this.byName.values()];
  }

  byProtocolHash(hash: string): CatalogueEntry | undefined {
    return this.byHash.get(hash);
  }

  /** The given version, or the highest version of `id` when none is named. */
  find(id: string, version?: string): CatalogueEntry | undefined {
    if (version) return this.byName.get(`${id}@${version}`);
    const versions = this.entries().filter((e) => e.analysis.definition.id === id);
    return versions.sort((a, b) =>
      compareVersions(b.analysis.definition.version, a.analysis.definition.version),
    )[0];
  }
}

/** Reads every `*.json` protocol declaration in a directory (the `protocols/` catalogue). */
export function readCatalogueDirectory(dir: string): Catalogue {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return new Catalogue(
    files.map((f) => {
      try {
        return JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
      } catch (e) {
        throw new ProtocolError(
          'invalid-definition',
          `${f}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }),
  );
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}
