import { existsSync, readFileSync } from 'node:fs';
import {
  AtRestError,
  type KekRing,
  looksSealed,
  replaceFileDurably,
  SealedFile,
} from '#concord/at-rest';
import { describeError } from '#concord/errors';
import type { NodeConfig } from '../config/node-config.js';
import { kekRingFor } from './at-rest-keys.js';
import { LEDGER_PURPOSE } from './node-files.js';
import { NodeLedgerError } from './node-ledger-error.js';

/** Where the ledger's text lives: read whole at start, replaced whole and durably on each line. */
export interface LedgerStore {
  readonly path: string;
  /** How the file is kept, for the start log (`sealed under KEK …`, `plaintext`). */
  readonly description: string;
  /** The file's text, or undefined when there is no file yet. */
  read(): string | undefined;
  /** Replaces the file with `text`; durable when this returns. */
  write(text: string): void;
}

/** The ledger in clear: tests, and a node configured `atRest: { plaintext: 'demo-only' }`. */
export function plaintextLedgerStore(path: string): LedgerStore {
  return {
    path,
    description: 'plaintext (atRest.plaintext: demo-only)',
    read() {
      if (!existsSync(path)) return undefined;
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch (e) {
        throw new NodeLedgerError('unreadable', `ledger file ${path}: ${describeError(e)}`, {
          cause: e,
        });
      }
      if (looksSealed(bytes))
        throw new NodeLedgerError(
          'unknown-format',
          `ledger file ${path} is sealed (encrypted at rest), but this node's configuration says atRest plaintext: configure atRest.kek with the KEK that sealed it. The file was refused and not used`,
        );
      return bytes.toString('utf8');
    },
    write: (text) => replaceFileDurably(path, text),
  };
}

/**
 * The ledger sealed on disk (libs/at-rest) for this agency's `node-ledger` purpose. A plaintext
 * ledger left from before encryption at rest is refused with the one command that converts it.
 */
export function sealedLedgerStore(
  path: string,
  ring: KekRing,
  agencyId: string,
  configFile = '<this node configuration>',
): LedgerStore {
  const file = new SealedFile(path, ring, { purpose: LEDGER_PURPOSE, agencyId });
  return {
    path,
    get description() {
      return `sealed under ${ring.description}`;
    },
    read() {
      let bytes: Uint8Array | undefined;
      try {
        bytes = file.read();
      } catch (e) {
        if (e instanceof AtRestError && e.code === 'at-rest-not-sealed')
          throw new AtRestError(
            'at-rest-not-sealed',
            `${e.message}. Stop the node and convert it once with: concord at-rest seal --config ${configFile}`,
            { cause: e },
          );
        throw e;
      }
      // The KEK of the next write is had now, at start: a passphrase's derivation (scrypt, a
      // fraction of a second) then never blocks the node in the middle of a session.
      ring.sealing();
      if (bytes === undefined) return undefined;
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        throw new NodeLedgerError('unknown-format', `ledger file ${path}: not UTF-8 text`, {
          cause: e,
        });
      }
    },
    write: (text) => file.write(new TextEncoder().encode(text)),
  };
}

/** The store a node configuration names (`atRest`), checked by `loadNodeConfig`. */
export function ledgerStoreFor(
  config: NodeConfig,
  options: { readonly configFile?: string; readonly ring?: KekRing } = {},
): LedgerStore {
  const path = config.ledger!.file;
  const kek = config.atRest?.kek;
  if (config.atRest?.plaintext === 'demo-only' && !kek) return plaintextLedgerStore(path);
  if (!kek)
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `the node configuration${options.configFile ? ` ${options.configFile}` : ''} has no atRest section: name a KEK (atRest.kek) or say { "plaintext": "demo-only" }`,
    );
  return sealedLedgerStore(
    path,
    options.ring ?? kekRingFor(kek),
    config.agencyId,
    options.configFile,
  );
}
