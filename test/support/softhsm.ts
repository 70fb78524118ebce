import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's path of the SoftHSM2 PKCS#11 module (package softhsm2). */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/**
 * (libs/keystore's specs keep their own copy, libs/keystore/src/softhsm.spec-support.ts: a
 * library's files may not import from test/.)
 *
 * A throwaway SoftHSM2 installation: its own token directory and softhsm2.conf. SoftHSM reads
 * SOFTHSM2_CONF when the module is initialised, so a process (the test worker, or a node child
 * given `env`) sees exactly the tokens made here.
 */
export class ThrowawaySoftHsm {
  readonly dir = mkdtempSync(join(tmpdir(), 'concord-softhsm-'));
  readonly conf = join(this.dir, 'softhsm2.conf');

  constructor() {
    mkdirSync(join(this.dir, 'tokens'));
    writeFileSync(
      this.conf,
      `directories.tokendir = ${join(this.dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    );
  }

  /** The environment a process needs to use these tokens. */
  get env(): Record<string, string> {
    return { SOFTHSM2_CONF: this.conf };
  }

  /** Makes this process use these tokens (before its first PKCS#11 call). */
  useInThisProcess(): void {
    process.env.SOFTHSM2_CONF = this.conf;
  }

  initToken(label: string, pin: string): void {
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `so-${pin}`],
      { env: { ...process.env, SOFTHSM2_CONF: this.conf }, stdio: 'pipe' },
    );
  }
}
