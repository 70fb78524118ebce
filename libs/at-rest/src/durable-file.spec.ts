import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Fs from 'node:fs';

// Every call into node:fs that matters for durability, in order.
const calls: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const paths = new Map<number, string>();
  return {
    ...fs,
    openSync: (path: string, ...rest: [string, number?]) => {
      const fd = fs.openSync(path, ...rest);
      paths.set(fd, path);
      calls.push(`open ${path}`);
      return fd;
    },
    writeSync: (fd: number, ...rest: [Buffer, number]) => {
      calls.push(`write ${paths.get(fd)}`);
      return fs.writeSync(fd, ...rest);
    },
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${paths.get(fd)}`);
      fs.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      calls.push(`rename ${from} -> ${to}`);
      fs.renameSync(from, to);
    },
  };
});

const { replaceFileDurably } = await import('./durable-file.js');

describe('replaceFileDurably', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'durable-file-'));
    calls.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a temporary file, fsyncs it, renames it over the file, then fsyncs the directory', () => {
    const file = join(dir, 'ledger.jsonl');
    replaceFileDurably(file, 'first\n');
    replaceFileDurably(file, 'first\nsecond\n');
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\n');
    expect(readdirSync(dir)).toEqual(['ledger.jsonl']);
    const tmp = `${file}.tmp`;
    const once = [
      `open ${tmp}`,
      `write ${tmp}`,
      `fsync ${tmp}`,
      `rename ${tmp} -> ${file}`,
      `open ${dir}`,
      `fsync ${dir}`,
    ];
    expect(calls).toEqual([...once, ...once]);
  });
});
