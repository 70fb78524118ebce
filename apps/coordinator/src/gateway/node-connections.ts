import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';

type Listener = (party: number) => void;

/**
 * Which agency node is connected (and authenticated) as which party. One socket per party: a
 * node that reconnects replaces its previous socket.
 */
@Injectable()
export class NodeConnections {
  private readonly sockets = new Map<number, Socket>();
  private readonly onConnect: Listener[] = [];
  private readonly onDisconnect: Listener[] = [];

  register(party: number, socket: Socket): void {
    const previous = this.sockets.get(party);
    this.sockets.set(party, socket);
    if (previous && previous.id !== socket.id) previous.disconnect(true);
    for (const l of this.onConnect) l(party);
  }

  unregister(party: number, socket: Socket): void {
    if (this.sockets.get(party)?.id !== socket.id) return;
    this.sockets.delete(party);
    for (const l of this.onDisconnect) l(party);
  }

  isConnected(party: number): boolean {
    return this.sockets.has(party);
  }

  connectedParties(): number[] {
    return [...this.sockets.keys()].sort();
  }

  /** Sends to a party; false when it is not connected. */
  send(party: number, event: string, payload: unknown): boolean {
    const socket = this.sockets.get(party);
    if (!socket) return false;
    socket.emit(event, payload);
    return true;
  }

  whenConnected(listener: Listener): void {
    this.onConnect.push(listener);
  }

  whenDisconnected(listener: Listener): void {
    this.onDisconnect.push(listener);
  }
}
