// `npm test` runs this first: it stops at once, in one line, when the machine lacks something the
// suite needs (README, "Quick start"), instead of failing minutes later in a browser or replica
// test. Plain JavaScript so that it runs before the build.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Whether a TCP connection to host:port opens within a second. */
function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** host and port of a URL, with the scheme's default port. */
function endpoint(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) };
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const postgres = endpoint(process.env.DATABASE_URL ?? 'postgresql://127.0.0.1:5432', 5432);
const redis = endpoint(process.env.CONCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', 6379);

const missing = [];
if (!existsSync(chromium))
  missing.push(
    `Chromium at ${chromium} for the dashboard tests (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
const softhsm = '/usr/lib/softhsm/libsofthsm2.so';
if (!existsSync(softhsm))
  missing.push(`SoftHSM2 at ${softhsm} for the PKCS#11 key store tests (apt-get install softhsm2)`);
if (!(await reachable(postgres.host, postgres.port)))
  missing.push(
    `PostgreSQL 15 on ${postgres.host}:${postgres.port} for the replica tests (apt-get install postgresql, or set DATABASE_URL)`,
  );
if (!(await reachable(redis.host, redis.port)))
  missing.push(
    `Redis on ${redis.host}:${redis.port} for the replica tests (apt-get install redis-server, or set CONCORD_TEST_REDIS_URL)`,
  );

if (missing.length > 0) {
  process.stderr.write(`npm test needs ${missing.join('; and ')}. See README.md, "Quick start".\n`);
  process.exit(1);
}
