import { parentPort } from 'node:worker_threads';
import { batchFailure, computeGroupBatch } from './group-batch.js';
import type { GroupWorkerReply, GroupWorkerRequest } from './group-worker-protocol.js';

/**
 * A worker thread of `GroupWorkerPool`: computes the batches of group operations it is given
 * (libsodium, instantiated once per thread when `group.js` loads) and posts each outcome back.
 * It keeps nothing between batches: the exponent arrives with each batch and goes with it.
 */
const port = parentPort;
if (!port) throw new Error('group-worker.js runs only as a worker thread');

port.on('message', ({ id, batch }: GroupWorkerRequest) => {
  let reply: GroupWorkerReply;
  try {
    const outputs = computeGroupBatch(batch);
    reply = { id, outputs };
    port.postMessage(reply, [outputs.buffer as ArrayBuffer]);
  } catch (e) {
    reply = { id, failure: batchFailure(e) };
    port.postMessage(reply);
  }
});
