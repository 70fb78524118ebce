import type { SecretSource } from './secret-source.js';

/** Debian's and Ubuntu's SoftHSM2 path; a real HSM names its vendor's module. */
export const DEFAULT_PKCS11_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** Where a key lives in a PKCS#11 token. The PIN is the token's user PIN. */
export interface Pkcs11KeyLocation {
  readonly module: string;
  readonly tokenLabel: string;
  readonly keyLabel: string;
  readonly pin: SecretSource;
}
