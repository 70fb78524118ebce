import { parentPort, workerData } from 'node:worker_threads';
import {
  blind,
  decodeElement,
  encodeJoinMessage,
  JOIN_HEADER_BYTES,
  parseJoinMessage,
} from '#concord/private-join';

/**
 * A benchmark worker: blinds its slice of a `taps-twice`-shaped list with the given exponent when
 * told to, and reports the milliseconds it took (parse, blind, encode — one holder's step 3/4).
 */
const { list, exponent } = workerData as { list: Uint8Array; exponent: bigint };
// Warm-up outside the timed region (JIT, noble's tables).
for (let j = 0; j < 50; j++) {
  const at = JOIN_HEADER_BYTES + 32 * j;
  blind(decodeElement(list.subarray(at, at + 32), 'warm-up'), exponent);
}
parentPort?.postMessage('ready');
parentPort?.once('message', () => {
  const started = performance.now();
  const { elements } = parseJoinMessage(list, 'taps-twice');
  encodeJoinMessage(
    'taps-twice',
    elements.map((p) => blind(p, exponent)),
  );
  parentPort?.postMessage(performance.now() - started);
});
