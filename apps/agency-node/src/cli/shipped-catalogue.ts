import { join } from 'node:path';
import { repoRoot } from '../demo/repo-paths.js';

/**
 * The protocol catalogue shipped with this package (its `protocols/` directory), found from the
 * code's own location: an auditor running `concord audit verify` from any directory checks
 * against the catalogue they installed, never whatever `protocols/` the working directory has.
 */
export function shippedCatalogueDir(): string {
  return join(repoRoot(), 'protocols');
}
