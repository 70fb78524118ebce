import { existsSync, readFileSync } from 'node:fs';
import { type KeyEncryptionKey, type RandomSource, systemRandom } from '#concord/crypto';
import { AtRestError } from './at-rest-error.js';
import { replaceFileDurably } from './durable-file.js';
import type { KekRing } from './kek-ring.js';
import type { SealContext } from './seal-context.js';
import { openBytes, rewrapBytes, sealBytes, sealedKekId } from './sealed-bytes.js';
import { looksSealed } from './sealed-format.js';

/** What `SealedFile.rewrap` did to a file. */
export type RewrapOutcome = 'rewrapped' | 'already-under-new-kek' | 'absent';

/**
 * One file kept sealed on disk: read whole and opened, or sealed whole and written durably
 * (temporary file, fsync, rename, fsync of the directory). Every refusal is an `AtRestError`
 * naming the file; nothing is ever read as empty in place of a file that did not open.
 */
export class SealedFile {
  constructor(
    readonly path: string,
    private readonly ring: KekRing,
    readonly context: SealContext,
    private readonly rng: RandomSource = systemRandom,
  ) {}

  /** The plaintext, or undefined when there is no file at all. */
  read(): Uint8Array | undefined {
    if (!existsSync(this.path)) return undefined;
    const sealed = this.readBytes();
    if (sealed.length > 0 && !looksSealed(sealed))
      throw new AtRestError(
        'at-rest-not-sealed',
        `${this.path} is not sealed (a plaintext file, written before encryption at rest was configured?); the file was refused and not used`,
      );
    return openBytes(sealed, this.kekFor(sealed), this.context, this.path);
  }

  /** Seals `plaintext` under the ring's sealing KEK and replaces the file with it, durably. */
  write(plaintext: Uint8Array): void {
    replaceFileDurably(
      this.path,
      sealBytes(plaintext, this.ring.sealing(), this.context, this.rng),
    );
  }

  /**
   * Re-wraps the file's data key under `newKek` (the body stays byte for byte), replacing the file
   * durably; a file already under `newKek` is left as it is, so a rotation can be run again.
   */
  rewrap(newKek: KeyEncryptionKey): RewrapOutcome {
    if (!existsSync(this.path)) return 'absent';
    const sealed = this.readBytes();
    if (sealedKekId(sealed, this.path) === newKek.id) {
      // Still proves the file opens under the new KEK before calling it done.
      openBytes(sealed, newKek, this.context, this.path);
      return 'already-under-new-kek';
    }
    replaceFileDurably(
      this.path,
      rewrapBytes(sealed, this.kekFor(sealed), newKek, this.context, this.path),
    );
    return 'rewrapped';
  }

  private kekFor(sealed: Uint8Array): KeyEncryptionKey {
    const id = sealedKekId(sealed, this.path);
    const kek = this.ring.find(id);
    if (!kek)
      throw new AtRestError(
        'at-rest-wrong-key',
        `${this.path}: sealed under KEK ${JSON.stringify(id)} (as the file says), which the configured ${this.ring.description} is not (another key or passphrase, or the key slot was altered); the file was refused and not used`,
      );
    return kek;
  }

  private readBytes(): Uint8Array {
    try {
      return new Uint8Array(readFileSync(this.path));
    } catch (e) {
      throw new AtRestError(
        'at-rest-unreadable',
        `${this.path} cannot be read (${e instanceof Error ? e.message : String(e)}); the file was refused and not used`,
        { cause: e },
      );
    }
  }
}
