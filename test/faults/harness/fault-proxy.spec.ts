import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../support/fault-proxy.js';

/** A client through the proxy; `ask` sends a line and resolves with the echo server's answer. */
async function client(
  port: number,
): Promise<{ socket: Socket; ask(line: string): Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return {
    socket,
    async ask(line) {
      socket.write(line);
      const [data] = (await once(socket, 'data')) as [Buffer];
      return data.toString();
    },
  };
}

/** Why a connection ended: the error code, or 'closed' for a clean end. */
function ending(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    socket.once('close', () => resolve('closed'));
  });
}

/** The fault proxy on loopback in front of an echo server: each switch does what it says. */
describe('FaultProxy', () => {
  let echo: Server;
  let proxy: FaultProxy;

  beforeAll(async () => {
    echo = createServer((s) => {
      // The proxy resets its upstream side too: that is expected here, not a failure.
      s.on('error', () => undefined);
      s.on('data', (d) => s.write(`echo ${d.toString()}`));
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const address = echo.address();
    proxy = await FaultProxy.start(typeof address === 'object' && address ? address.port : 0);
  });
  afterAll(async () => {
    await proxy.close();
    echo.close();
  });

  it('forwards, and drop() resets current connections while new ones still get through', async () => {
    const first = await client(proxy.port);
    expect(await first.ask('one')).toBe('echo one');
    const ended = ending(first.socket);
    expect(proxy.drop()).toBe(1);
    expect(await ended).toBe('ECONNRESET');
    const second = await client(proxy.port);
    expect(await second.ask('two')).toBe('echo two');
    second.socket.destroy();
    await proxy.waitForIdle();
    expect(proxy.accepted).toBe(2);
  });

  it("down('refuse') resets connections and refuses new ones; up() serves on the same port", async () => {
    const open = await client(proxy.port);
    const ended = ending(open.socket);
    await proxy.down('refuse');
    expect(await ended).toBe('ECONNRESET');
    const refused = connect(proxy.port, '127.0.0.1');
    expect(await ending(refused)).toBe('ECONNREFUSED');
    await proxy.up();
    const after = await client(proxy.port);
    expect(await after.ask('back')).toBe('echo back');
    after.socket.destroy();
  });

  it("down('hold') accepts new connections without answering; up() forwards what they sent", async () => {
    await proxy.down('hold');
    const held = await client(proxy.port);
    const accepted = proxy.accepted;
    const answer = held.ask('held');
    await proxy.up();
    expect(await answer).toBe('echo held');
    expect(proxy.accepted).toBe(accepted + 1);
    held.socket.destroy();
  });
});
