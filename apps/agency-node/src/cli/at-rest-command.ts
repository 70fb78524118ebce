import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AtRestError, looksSealed, SealedFile, writeKeyFile } from '#concord/at-rest';
import { Rational } from '#concord/dp';
import { ConfigurationError } from '#concord/errors';
import {
  AtRestKekConfig,
  KEK_SOURCES,
  loadNodeConfig,
  type NodeConfig,
} from '../config/node-config.js';
import { kekRingFor } from '../node/at-rest-keys.js';
import { plaintextLedgerStore } from '../node/ledger-store.js';
import { nodeFiles } from '../node/node-files.js';
import { NodeLedger } from '../node/node-ledger.js';

type Write = (text: string) => void;
const stdout: Write = (text) => process.stdout.write(text);

/** `concord at-rest generate-key`: a new random 32-byte KEK file (mode 0600, never overwritten). */
export function atRestGenerateKey(options: { out: string }, write: Write = stdout): void {
  const id = writeKeyFile(resolve(options.out));
  write(
    `wrote ${options.out} (KEK ${id}, mode 0600): keep it off the disk that holds the node's data\n`,
  );
}

/**
 * `concord at-rest seal`: seals, once, the files a node wrote in clear before its configuration
 * named a KEK (`atRest.kek`). Each plaintext file is checked first (a ledger must load), then
 * replaced by its sealed form durably; sealed files are only checked to open. Run with the node
 * stopped.
 */
export function atRestSeal(options: { config: string }, write: Write = stdout): void {
  const config = loadNodeConfig(options.config);
  const ring = kekRingFor(requireKek(config, options.config, '--config'));
  for (const f of nodeFiles(config)) {
    const file = new SealedFile(f.path, ring, { purpose: f.purpose, agencyId: config.agencyId });
    if (!existsSync(f.path)) {
      write(`${f.path}: absent, nothing to seal\n`);
      continue;
    }
    const bytes = readFileSync(f.path);
    if (looksSealed(bytes)) {
      file.read();
      write(`${f.path}: already sealed (opens under ${ring.description})\n`);
      continue;
    }
    // Only a file the node would load is sealed: a damaged one stays as it is, for a person.
    new NodeLedger(plaintextLedgerStore(f.path), Rational.parse(config.ledger!.capRho));
    file.write(bytes);
    write(`${f.path}: sealed under ${ring.description} (${f.purpose})\n`);
  }
}

export interface AtRestRewrapOptions {
  readonly config: string;
  readonly newKeyFile?: string;
  readonly newKeyEnv?: string;
  readonly newPassphraseEnv?: string;
  readonly newPassphraseFile?: string;
}

/**
 * `concord at-rest rewrap`: re-wraps every sealed file of the node under a new KEK without
 * re-encrypting its data (docs/operations.md, 'Rotating the at-rest KEK'), one file at a time,
 * each replaced atomically and durably. A file already under the new KEK is left as it is, so an
 * interrupted rotation is finished by running it again. Run with the node stopped.
 */
export function atRestRewrap(
  options: AtRestRewrapOptions,
  write: Write = stdout,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const config = loadNodeConfig(options.config);
  const oldRing = kekRingFor(requireKek(config, options.config, '--config'), env);
  const newSource = newKekSource(options);
  const newRing = kekRingFor(newSource, env);
  const newKek = newRing.sealing();
  for (const f of nodeFiles(config)) {
    const file = new SealedFile(f.path, oldRing, { purpose: f.purpose, agencyId: config.agencyId });
    const outcome = file.rewrap(newKek);
    write(
      outcome === 'rewrapped'
        ? `${f.path}: rewrapped under KEK ${newKek.id} (data not re-encrypted)\n`
        : outcome === 'absent'
          ? `${f.path}: absent, nothing to rewrap\n`
          : `${f.path}: already under KEK ${newKek.id}\n`,
    );
  }
  const name = KEK_SOURCES.find((k) => newSource[k] !== undefined)!;
  write(
    `next: set "atRest": { "kek": { ${JSON.stringify(name)}: ${JSON.stringify(newSource[name])} } } in ${options.config}, start the node, then destroy the old KEK (${oldRing.description})\n`,
  );
}

function requireKek(config: NodeConfig, file: string, setting: string): AtRestKekConfig {
  const kek = config.atRest?.kek;
  if (!kek)
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `${setting} ${file} keeps the node's files in clear (atRest.plaintext): name the KEK in atRest.kek first`,
    );
  return kek;
}

/** The one `--new-*` option given, as a KEK source (paths relative to the working directory). */
function newKekSource(options: AtRestRewrapOptions): AtRestKekConfig {
  const source = Object.assign(new AtRestKekConfig(), {
    keyFile: options.newKeyFile === undefined ? undefined : resolve(options.newKeyFile),
    keyEnv: options.newKeyEnv,
    passphraseEnv: options.newPassphraseEnv,
    passphraseFile:
      options.newPassphraseFile === undefined ? undefined : resolve(options.newPassphraseFile),
  });
  const named = KEK_SOURCES.filter((k) => source[k] !== undefined);
  if (named.length !== 1)
    throw new ConfigurationError({
      setting: '--new-key-file, --new-key-env, --new-passphrase-env, --new-passphrase-file',
      requirement: 'exactly one of them: the new KEK',
      shown: named.length ? named.join(' and ') : 'none',
    });
  return source;
}
