import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Ports are drawn from below the kernel's ephemeral range (Linux: 32768–60999, macOS and
 * Windows: 49152–65535). Asking the kernel for port 0 would hand out an ephemeral port, and
 * between our check and the real listen any outbound connection on the machine may take it as
 * its local port: CI saw a coordinator fail with EADDRINUSE exactly so. A port below the range is
 * only ever taken by an explicit bind.
 */
const LOWEST = 20_000;
const BEYOND = 32_768;
const ATTEMPTS = 50;

/** Ports this process has handed out, so two callers in one process never get the same one. */
const handedOut = new Set<number>();

/** A TCP port that was free a moment ago on 127.0.0.1 and has not been handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = randomInt(LOWEST, BEYOND);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free TCP port found in ${LOWEST}–${BEYOND - 1} after ${ATTEMPTS} tries`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
