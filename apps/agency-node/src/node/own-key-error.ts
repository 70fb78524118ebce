import { ConcordError } from '#concord/errors';

/**
 * This node's identity key stopped being the one in force between the invitation and the
 * engine's creation (a rotation's effective time passed): the node declines with this code
 * rather than sign with a key its consortium file no longer accepts.
 */
export class OwnKeyNotInForceError extends ConcordError<'key-not-valid'> {
  readonly domain = 'agency-node';
  constructor(epoch: number) {
    super('key-not-valid', `this node's key epoch ${epoch} is no longer in force`);
  }
}
