// Child process: the stock JIFFServer (jiff-mpc 1.0.0 with its own socket.io 2) on 127.0.0.1, on a
// port chosen by the OS, with the bignumber server extension for the bignumber variant. It serves
// one benchmark run and is killed by the runner afterwards.
// Usage (by the runner, through fork): node server-process.js '<ServerConfig JSON>'
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type ServerConfig, type ServerToParent } from './messages.js';
import { loadServerBignumber, loadStockServer } from './stock-jiff.js';

function send(message: ServerToParent): void {
  process.send?.(message);
}

try {
  const config = JSON.parse(process.argv[2]) as ServerConfig;
  const JIFFServer = loadStockServer();
  const http = createServer();
  const server = new JIFFServer(http, { logs: false });
  if (config.variant === 'bignumber-2^61') server.apply_extension(loadServerBignumber());
  http.listen(0, '127.0.0.1', () => {
    send({ type: 'listening', port: (http.address() as AddressInfo).port });
  });
  // The runner's disappearance (crash, kill) must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
} catch (error) {
  send({ type: 'failed', error: String(error) });
  process.exitCode = 1;
}
