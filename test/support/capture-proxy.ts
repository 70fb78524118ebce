import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the coordinator that records every byte in both directions, and can
 * decode the WebSocket frames (unmasking client frames) so tests search what the coordinator
 * actually received and sent, not masked noise.
 */
export class CaptureProxy {
  private readonly server: Server;
  private readonly streams: { toServer: Buffer[]; toClient: Buffer[] }[] = [];

  private constructor(targetPort: number) {
    this.server = createServer((client: Socket) => {
      const record = { toServer: [] as Buffer[], toClient: [] as Buffer[] };
      this.streams.push(record);
      const upstream = connect(targetPort, '127.0.0.1');
      client.on('data', (d) => {
        record.toServer.push(d);
        upstream.write(d);
      });
      upstream.on('data', (d) => {
        record.toClient.push(d);
        client.write(d);
      });
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
  }

  static async start(targetPort: number): Promise<{ proxy: CaptureProxy; port: number }> {
    const proxy = new CaptureProxy(targetPort);
    await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', r));
    const address = proxy.server.address();
    return { proxy, port: typeof address === 'object' && address ? address.port : 0 };
  }

  /** Raw bytes and decoded WebSocket payloads, both directions, every connection. */
  capturedViews(): Buffer[] {
    return this.streams.flatMap((s) => {
      const up = Buffer.concat(s.toServer);
      const down = Buffer.concat(s.toClient);
      return [up, down, decodeWebSocket(up), decodeWebSocket(down)];
    });
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Payloads of the WebSocket frames after the HTTP upgrade, unmasked and concatenated. */
function decodeWebSocket(stream: Buffer): Buffer {
  const start = stream.indexOf('\r\n\r\n');
  if (start < 0) return Buffer.alloc(0);
  const payloads: Buffer[] = [];
  let i = start + 4;
  while (i + 2 <= stream.length) {
    const masked = (stream[i + 1] & 0x80) !== 0;
    let length = stream[i + 1] & 0x7f;
    let offset = i + 2;
    if (length === 126) {
      length = stream.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(stream.readBigUInt64BE(offset));
      offset += 8;
    }
    const mask = masked ? stream.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (offset + length > stream.length) break;
    const payload = Buffer.from(stream.subarray(offset, offset + length));
    if (mask) for (let k = 0; k < payload.length; k++) payload[k] ^= mask[k & 3];
    payloads.push(payload);
    i = offset + length;
  }
  return Buffer.concat(payloads);
}
