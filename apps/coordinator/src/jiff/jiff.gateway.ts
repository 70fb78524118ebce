import { type OnApplicationShutdown } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import { JIFF_SOCKET_PATH } from '#concord/wire';
import { JiffEndpoint } from './jiff-endpoint.service.js';

/** socket.io's frame bound for JIFF clients; the core bounds each event's JSON at 64 KiB below it. */
export const JIFF_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Mounts the JIFF-compatible endpoint. A path of its own makes Nest's IoAdapter create a second
 * socket.io server on the coordinator's HTTP server (Nest keys socket.io servers by port and path),
 * so only this one accepts Engine.IO 3 (jiff-mpc 1.0.0 speaks socket.io v2): the node gateway keeps
 * the default path, EIO4 only, its own frame limit and authentication.
 */
@WebSocketGateway({
  path: JIFF_SOCKET_PATH,
  allowEIO3: true,
  maxHttpBufferSize: JIFF_MAX_FRAME_BYTES,
})
export class JiffGateway implements OnGatewayInit<Server>, OnApplicationShutdown {
  constructor(private readonly endpoint: JiffEndpoint) {}

  afterInit(server: Server): void {
    this.endpoint.attach(server);
  }

  onApplicationShutdown(): void {
    this.endpoint.detach();
  }
}
