// Runs stock jiff-mpc clients with the bignumber extension in their own process and prints their
// results as one JSON line. A separate process is needed because the extension rewrites
// jiff-mpc's module-level share helpers, which would break base clients in the same process.
// Usage: node bignumber-parties.js '{"url","computationId","zp","parties":[{partyId,credential,input}]}'
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jiff = require('jiff-mpc');
const bignumber = require('jiff-mpc/lib/ext/jiff-client-bignumber.js');

const config = JSON.parse(process.argv[2]);
const partyCount = config.parties.length;
const say = (line) => process.stdout.write(`${line}\n`);
console.log = () => undefined;

function connect(party) {
  return new Promise((resolve, reject) => {
    const client = new jiff.JIFFClient(config.url, config.computationId, {
      party_id: party.partyId,
      party_count: partyCount,
      crypto_provider: true,
      autoConnect: false,
      initialization: { credential: party.credential },
      socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 },
      onConnect: () => resolve(client),
      onError: (label, error) => {
        if (label === 'initialization') reject(new Error(String(error)));
      },
    });
    client.apply_extension(bignumber, { Zp: config.zp, safemod: false });
    client.connect();
  });
}

async function program(client, input) {
  const x = client.share(input);
  const open = async (share) => (await client.open(share)).toString();
  return Promise.all([open(x[1].sadd(x[2])), open(x[1].smult(x[2])), open(x[2].slt(x[1]))]);
}

try {
  const clients = await Promise.all(config.parties.map(connect));
  const results = await Promise.all(clients.map((c, i) => program(c, config.parties[i].input)));
  await Promise.all(
    clients.map((c) => new Promise((resolve) => c.disconnect(true, true, resolve))),
  );
  say(JSON.stringify({ results }));
  process.exit(0);
} catch (error) {
  say(JSON.stringify({ error: String(error) }));
  process.exit(1);
}
