import { WireError } from '#concord/wire';
import type { EngineSocket } from './pre-auth-frame-bound.js';

interface EnginePacket {
  readonly type: string;
  readonly data?: unknown;
}

/**
 * Checks every text frame of a connection longer than `fromLength` with `check` before socket.io
 * decodes it (the engine emits `packet` just before it hands the data to the decoder). A frame
 * `check` refuses with a `WireError` goes to `refuse`, which must end the connection
 * synchronously so that the frame is never parsed. Shorter frames cost nothing here: their parse
 * is cheap whatever they hold, and the message's own checks refuse them after it.
 */
export function checkTextFrames(
  conn: EngineSocket,
  fromLength: number,
  check: (text: string) => void,
  refuse: (error: WireError) => void,
): void {
  const onPacket = (packet: EnginePacket): void => {
    if (packet.type !== 'message' || typeof packet.data !== 'string') return;
    if (packet.data.length <= fromLength) return;
    try {
      check(packet.data);
    } catch (e) {
      conn.off('packet', onPacket);
      // Thrown out of this listener it would escape into the engine (and end the process).
      refuse(e instanceof WireError ? e : new WireError('invalid-message', 'unreadable frame'));
    }
  };
  conn.on('packet', onPacket);
}
