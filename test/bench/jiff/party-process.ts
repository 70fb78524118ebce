// Child process: one stock jiff-mpc 1.0.0 client (crypto_provider on) doing the benchmark work with
// JIFF's normal API: `share_array`, elementwise `sadd`/`smult`, `open` per element.
// Bytes sent are counted as the sum of `bytesWritten` over every TCP socket this process opens
// (all of them go to the JIFF server): HTTP polling requests and WebSocket frames as written to the
// kernel, so socket.io/Engine.IO framing, JSON, libsodium ciphertexts and acks are included;
// TCP/IP headers are not.
// Usage (by the runner, through fork): node party-process.js '<PartyConfig JSON>'
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Socket } from 'node:net';
import { type ParentToParty, type PartyConfig, type PartyToParent } from './messages.js';
import {
  type JiffValue,
  loadClientBignumber,
  loadStockClient,
  P61,
  type StockJiffClient,
  type StockSecretShare,
} from './stock-jiff.js';

const sockets: Socket[] = [];
subscribe('net.client.socket', (message) => sockets.push((message as { socket: Socket }).socket));
const bytesWritten = () => sockets.reduce((total, socket) => total + socket.bytesWritten, 0);

function send(message: PartyToParent): void {
  process.send?.(message);
}

function fail(error: unknown): void {
  send({
    type: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
process.on('disconnect', () => process.exit(0));
// JIFF logs with console.log; keep stdout quiet, the runner only keeps a tail for error notes.
console.log = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);

const config = JSON.parse(process.argv[2]) as PartyConfig;
const inputs: number[] =
  config.inputFile === null ? [] : (JSON.parse(readFileSync(config.inputFile, 'utf8')) as number[]);

function connect(): Promise<StockJiffClient> {
  return new Promise((resolve, reject) => {
    const JIFFClient = loadStockClient();
    const client: StockJiffClient = new JIFFClient(config.url, config.computationId, {
      party_id: config.partyId,
      party_count: config.partyCount,
      crypto_provider: true,
      autoConnect: false,
      onConnect: () => resolve(client),
      onError: (label, error) => {
        if (label === 'initialization') reject(new Error(`initialization: ${String(error)}`));
      },
    });
    if (config.variant === 'bignumber-2^61') {
      // safemod:false: the extension's primality check is trial division (minutes for 2^61 − 1).
      client.apply_extension(loadClientBignumber(), { Zp: P61, safemod: false });
    }
    client.connect();
  });
}

/** The work as every party runs it; returns the shares to open, in element order. */
function program(client: StockJiffClient): StockSecretShare[] {
  const { m } = config;
  const all = Array.from({ length: config.partyCount }, (_, i) => i + 1);
  switch (config.work) {
    case 'sum': {
      const shares = client.share_array(inputs, m);
      const out = new Array<StockSecretShare>(m);
      for (let i = 0; i < m; i++) out[i] = shares[1][i].sadd(shares[2][i]).sadd(shares[3][i]);
      return out;
    }
    case 'multiply': {
      // Parties 1 and 2 hold the vectors; all parties hold shares, compute and receive results.
      const shares = client.share_array(inputs, { 1: m, 2: m }, undefined, all, [1, 2]);
      const out = new Array<StockSecretShare>(m);
      for (let i = 0; i < m; i++) out[i] = shares[1][i].smult(shares[2][i]);
      return out;
    }
  }
}

async function run(client: StockJiffClient): Promise<void> {
  const bytesAtStart = bytesWritten();
  let opened = 0;
  const progress = setInterval(
    () => send({ type: 'progress', bytesSent: bytesWritten() - bytesAtStart, opened }),
    1000,
  );
  const results = await Promise.all(
    program(client).map((share) =>
      client.open(share).then((value: JiffValue) => {
        opened++;
        return value;
      }),
    ),
  );
  clearInterval(progress);
  send({ type: 'done' });
  // This party's last messages (its open shares for the others, acks) can still be queued behind
  // the results it received: they belong to the work, so bytes are read once JIFF's outgoing
  // mailbox has been acknowledged by the server.
  while (!client.socket.is_empty()) await new Promise((resolve) => setTimeout(resolve, 5));
  const bytesSent = bytesWritten() - bytesAtStart;
  writeFileSync(config.resultFile, results.map((value) => value.toString()).join('\n'));
  send({ type: 'written', bytesSent });
}

const client = await connect();
process.on('message', (message: ParentToParty) => {
  switch (message.type) {
    case 'go':
      run(client).catch(fail);
      break;
    case 'finish':
      // `free` then disconnect, as a finished JIFF party does.
      client.disconnect(true, true, () => process.exit(0));
      break;
  }
});
send({ type: 'ready' });
