import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of docs/DEVELOPMENT.md, checked on the source: which library may import
 * which, that libraries import others only through their index, and that the framework-free core
 * imports neither NestJS nor TypeORM.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  allocator: [],
  failpoint: [],
  'worker-script': [],
  postprocess: ['errors'],
  crypto: ['errors'],
  'at-rest': ['errors', 'crypto'],
  field: ['errors', 'crypto'],
  sharing: ['errors', 'crypto', 'field'],
  'private-join': ['errors', 'crypto', 'field', 'sharing', 'worker-script'],
  dp: ['errors', 'crypto'],
  calendar: [],
  accounting: ['errors', 'dp', 'calendar'],
  transcript: ['errors', 'crypto'],
  consortium: ['errors', 'crypto'],
  synth: ['errors', 'crypto', 'worker-script'],
  protocol: ['errors', 'crypto', 'field', 'dp', 'accounting', 'consortium'],
  wire: ['errors', 'crypto', 'transcript', 'calendar'],
  engine: [
    'errors',
    'crypto',
    'field',
    'sharing',
    'protocol',
    'private-join',
    'transcript',
    'wire',
  ],
  coordination: [
    'errors',
    'crypto',
    'consortium',
    'engine',
    'field',
    'jiff-server',
    'protocol',
    'transcript',
    'wire',
  ],
  persistence: [],
  'jiff-server': ['errors', 'crypto'],
  'jiff-engine': [
    'errors',
    'crypto',
    'field',
    'sharing',
    'protocol',
    'engine',
    'wire',
    'jiff-server',
    'transcript',
    'worker-script',
  ],
  keystore: ['errors', 'crypto'],
  audit: ['errors', 'consortium', 'engine', 'field', 'protocol', 'transcript', 'wire'],
};
const FRAMEWORK_FREE = Object.keys(ALLOWED).filter((lib) => lib !== 'persistence');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1],
  );
}

const libs = readdirSync('libs').filter((d) => statSync(join('libs', d)).isDirectory());

describe('architecture', () => {
  it('knows every library', () => {
    expect(libs.filter((l) => !(l in ALLOWED))).toEqual([]);
  });

  it.each(libs)('libs/%s imports only the libraries below it, through their index', (lib) => {
    const problems: string[] = [];
    for (const file of sourceFiles(join('libs', lib, 'src'))) {
      for (const spec of importsOf(file)) {
        const where = relative('.', file);
        if (spec.startsWith('../'))
          problems.push(`${where}: relative import ${spec} leaves the library`);
        const m = /^#concord\/([^/]+)(\/.*)?$/.exec(spec);
        if (m) {
          if (m[2]) problems.push(`${where}: deep import ${spec}`);
          else if (m[1] !== lib && !ALLOWED[lib]?.includes(m[1]))
            problems.push(`${where}: ${lib} may not depend on ${m[1]}`);
        }
        if (FRAMEWORK_FREE.includes(lib) && /^(@nestjs\/|typeorm|socket\.io)/.test(spec)) {
          problems.push(`${where}: the framework-free core imports ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('apps import libraries only through their index', () => {
    const problems = ['apps', 'test']
      .flatMap((root) => sourceFiles(root))
      .flatMap((file) =>
        importsOf(file)
          .filter((s) => /^#concord\/[^/]+\//.test(s) || /libs\//.test(s))
          .map((s) => `${file}: ${s}`),
      );
    expect(problems).toEqual([]);
  });
});
