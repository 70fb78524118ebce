import type { KeyEncryptionKey } from '#concord/crypto';
import { newPassphraseKek, passphraseKekForId, type ScryptCost } from './passphrase-kek.js';

/**
 * The KEKs one source yields: the one new files are sealed under, and the one that opens a file
 * naming a given KEK id. For a fixed key (a key file, a variable, an HSM or KMS key) both are the
 * same KEK. For a passphrase, each file's id carries its own salt, so the KEK that opens it is
 * derived from that id.
 */
export interface KekRing {
  /** What the KEK is, for messages (never secret). */
  readonly description: string;
  /** The KEK new files are sealed under. */
  sealing(): KeyEncryptionKey;
  /** The KEK a file whose key slot names `id` opens with, or undefined if this source has none. */
  find(id: string): KeyEncryptionKey | undefined;
}

/** A ring of one fixed KEK. */
export function singleKekRing(kek: KeyEncryptionKey, description = `KEK ${kek.id}`): KekRing {
  return {
    description,
    sealing: () => kek,
    find: (id) => (id === kek.id ? kek : undefined),
  };
}

/**
 * A passphrase's ring. Derivations are slow on purpose (scrypt), so each is made once: the KEK
 * that opened the first file is also the one new files are sealed under (same salt), and a fresh
 * salt is drawn only when nothing was opened before the first seal.
 */
export function passphraseKekRing(
  passphrase: string,
  description: string,
  cost?: ScryptCost,
): KekRing {
  const derived = new Map<string, KeyEncryptionKey | undefined>();
  let current: KeyEncryptionKey | undefined;
  return {
    description,
    sealing() {
      current ??= newPassphraseKek(passphrase, cost);
      derived.set(current.id, current);
      return current;
    },
    find(id) {
      if (!derived.has(id)) derived.set(id, passphraseKekForId(passphrase, id));
      const kek = derived.get(id);
      current ??= kek;
      return kek;
    },
  };
}
