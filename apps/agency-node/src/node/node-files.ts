import type { NodeConfig } from '../config/node-config.js';

/**
 * Every file an agency node writes while it runs, with the purpose it is sealed for (bound into
 * the file's encryption with the agency id). Today that is the ledger alone: noise is sampled
 * into memory, session state and messages to the coordinator are never persisted, logs go to
 * stderr. A new persisted file is added here, so sealing and `concord at-rest rewrap` cover it.
 */
export function nodeFiles(config: NodeConfig): readonly NodeFile[] {
  return [{ path: config.ledger!.file, purpose: LEDGER_PURPOSE }];
}

export interface NodeFile {
  readonly path: string;
  readonly purpose: string;
}

export const LEDGER_PURPOSE = 'node-ledger';
