import {
  type DevCertificates,
  makeDevCertificates,
} from '../../apps/agency-node/src/demo/dev-certificates.js';

/** A throwaway CA and a server certificate it issued, as PEM files in a test's directory. */
export type TestCertificates = DevCertificates;

/** A one-day CA and a server certificate for `localhost` and 127.0.0.1 (openssl, milliseconds). */
export function makeTestCertificates(dir: string): TestCertificates {
  return makeDevCertificates({ dir, names: ['localhost', '127.0.0.1'], days: 1 });
}
