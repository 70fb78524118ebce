import { createRequire } from 'node:module';
import type * as Pkcs11Js from 'pkcs11js';
import { constantTimeEqual, sha256, utf8 } from '#concord/crypto';
import { KeyStoreError } from './keystore-error.js';

type Pkcs11Module = typeof Pkcs11Js;

/**
 * pkcs11js is a native addon: loaded on first use, so a machine without it (or without a built
 * binding) still runs every other key store, and gets a clear error for this one.
 */
let binding: Pkcs11Module | undefined;
function pkcs11js(): Pkcs11Module {
  if (binding) return binding;
  try {
    binding = createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;
    return binding;
  } catch (e) {
    throw new KeyStoreError(
      'pkcs11-module-unavailable',
      `the pkcs11js binding is not installed or not built: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** A module loaded and initialised once per process (C_Initialize may be called only once). */
interface LoadedModule {
  readonly api: Pkcs11Js.PKCS11;
  tokens: number;
}
const modules = new Map<string, LoadedModule>();

function loadModule(path: string): LoadedModule {
  const known = modules.get(path);
  if (known) return known;
  const lib = pkcs11js();
  const api = new lib.PKCS11();
  try {
    api.load(path);
  } catch (e) {
    throw new KeyStoreError(
      'pkcs11-module-unavailable',
      `cannot load the PKCS#11 module ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  try {
    api.C_Initialize();
  } catch (e) {
    if (codeOf(e) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED')
      throw new KeyStoreError(
        'pkcs11-module-unavailable',
        `cannot initialise the PKCS#11 module ${path}: ${codeOf(e)}`,
      );
  }
  const loaded = { api, tokens: 0 };
  modules.set(path, loaded);
  return loaded;
}

/** The CKR_* name of a PKCS#11 failure (pkcs11js puts it in the message), or the message. */
export function codeOf(e: unknown): string {
  if (e instanceof Error) return e.message.split(/[\s:]/)[0] || e.message;
  return String(e);
}

const openTokens = new Map<string, Pkcs11Token>();

/**
 * One logged-in session on one token, shared by every key this process uses there (the identity
 * signer and a key-encryption key): PKCS#11 login state is per application and token, so one
 * session that lives as long as its users is both simplest and what HSMs expect. Node runs each
 * C_*Init/C_* pair synchronously, so operations never interleave on the session.
 */
export class Pkcs11Token {
  private users = 0;

  private constructor(
    readonly modulePath: string,
    readonly label: string,
    readonly api: Pkcs11Js.PKCS11,
    readonly session: Buffer,
    readonly constants: Pkcs11Module,
    /** SHA-256 of the PIN it logged in with: a later user sharing the session must know it too. */
    private readonly pinDigest: Uint8Array,
  ) {}

  /** Opens (or shares) the logged-in session on the token named `label`. */
  static open(modulePath: string, label: string, pin: string): Pkcs11Token {
    const key = `${modulePath}\n${label}`;
    const shared = openTokens.get(key);
    if (shared) {
      // The token is logged in already (C_Login would not check the PIN again): compare instead.
      if (!constantTimeEqual(shared.pinDigest, sha256(utf8(pin))))
        throw new KeyStoreError(
          'pkcs11-login-failed',
          `wrong PIN for the PKCS#11 token "${label}"`,
        );
      shared.users++;
      return shared;
    }
    const module = loadModule(modulePath);
    const { api } = module;
    const lib = pkcs11js();
    const failed = (what: string, e: unknown): KeyStoreError =>
      new KeyStoreError(
        'pkcs11-failed',
        `PKCS#11 module ${modulePath}: ${what} failed: ${codeOf(e)}`,
      );
    let slot: Buffer | undefined;
    try {
      slot = api.C_GetSlotList(true).find((s) => api.C_GetTokenInfo(s).label.trimEnd() === label);
    } catch (e) {
      throw failed('listing the tokens', e);
    }
    if (slot === undefined)
      throw new KeyStoreError(
        'pkcs11-token-not-found',
        `no token labelled "${label}" in the PKCS#11 module ${modulePath}`,
      );
    let session: Buffer;
    try {
      session = api.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    } catch (e) {
      throw failed(`opening a session on token "${label}"`, e);
    }
    try {
      api.C_Login(session, lib.CKU_USER, pin);
    } catch (e) {
      const code = codeOf(e);
      if (code !== 'CKR_USER_ALREADY_LOGGED_IN') {
        api.C_CloseSession(session);
        throw new KeyStoreError(
          'pkcs11-login-failed',
          code === 'CKR_PIN_INCORRECT' || code === 'CKR_PIN_LEN_RANGE'
            ? `wrong PIN for the PKCS#11 token "${label}"`
            : code === 'CKR_PIN_LOCKED'
              ? `the PIN of the PKCS#11 token "${label}" is locked (too many wrong PINs)`
              : `cannot log in to the PKCS#11 token "${label}": ${code}`,
        );
      }
    }
    const token = new Pkcs11Token(modulePath, label, api, session, lib, sha256(utf8(pin)));
    token.users = 1;
    module.tokens++;
    openTokens.set(key, token);
    return token;
  }

  /** The one object of `objectClass` labelled `label`, or undefined. Two of them is an error. */
  find(objectClass: number, label: string): Buffer | undefined {
    const { api, session, constants: c } = this;
    api.C_FindObjectsInit(session, [
      { type: c.CKA_CLASS, value: objectClass },
      { type: c.CKA_LABEL, value: label },
    ]);
    let found: Buffer[];
    try {
      found = api.C_FindObjects(session, 2);
    } finally {
      api.C_FindObjectsFinal(session);
    }
    if (found.length > 1)
      throw new KeyStoreError(
        'pkcs11-failed',
        `the PKCS#11 token "${this.label}" holds several objects labelled "${label}"; keep one`,
      );
    return found[0];
  }

  /** Logs out and closes the session once its last user closes; finalises an unused module. */
  close(): void {
    if (--this.users > 0) return;
    openTokens.delete(`${this.modulePath}\n${this.label}`);
    try {
      this.api.C_Logout(this.session);
    } catch {
      // Already logged out (another session's logout, or the token went away): nothing to undo.
    }
    try {
      this.api.C_CloseSession(this.session);
    } catch {
      // The token went away: the session is gone with it.
    }
    const module = modules.get(this.modulePath);
    if (module && --module.tokens === 0) {
      modules.delete(this.modulePath);
      try {
        module.api.C_Finalize();
      } catch {
        // Finalising is best effort at shutdown.
      }
    }
  }
}

/** Runs a PKCS#11 operation, turning the binding's failure into a KeyStoreError. */
export function inToken<T>(token: Pkcs11Token, what: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    if (e instanceof KeyStoreError) throw e;
    throw new KeyStoreError(
      'pkcs11-failed',
      `PKCS#11 token "${token.label}": ${what} failed: ${codeOf(e)}`,
    );
  }
}
