import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';
import { expectCompletedOnce, expectLedgersAgree, viewSession } from '../support/fault-checks.js';
import { armFailpoints } from '../support/failpoint-names.js';
import { ManagedProcess } from '../support/managed-process.js';
import { type ReplicaCluster, startReplicaCluster } from '../support/replica-cluster.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

/**
 * Two coordinator replicas, real processes on one PostgreSQL and one Redis, behind one URL (a TCP
 * balancer), and three agency nodes. A session runs on exactly one replica, named by its lease in
 * PostgreSQL; when that replica is killed mid-session the other claims the lapsed lease, resumes
 * the session from its durable record and completes it once. Reports requested through either
 * replica complete while the nodes are spread over both: messages cross replicas through Redis.
 */
describe('two coordinator replicas on PostgreSQL and Redis', () => {
  let cluster: ReplicaCluster;

  beforeAll(async () => {
    cluster = await startReplicaCluster({
      seed: '7301',
      names: ['replica-a', 'replica-b'],
      env: { SESSION_LEASE_MS: '2000' },
      // Replica a stops itself mid input round of the first session it runs.
      firstEnv: armFailpoints('coordinator.input-relayed'),
    });
    cluster.startNodes();
    await cluster.waitForNodes('replica-a');
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('kill -9 of the replica running a session: the other takes it over and completes it once', async () => {
    const id = await requestRevenueReport(
      cluster.clients.get('replica-a')!,
      cluster.setup.serviceDate,
      'takeover',
    );
    await cluster.replica('replica-a').waitForFailpoint('coordinator.input-relayed', 60_000);
    expect(await cluster.sql('SELECT owner, state FROM sessions WHERE id = $1', [id])).toEqual([
      { owner: 'replica-a', state: 'running' },
    ]);

    await cluster.startReplica('replica-b');
    expect(await cluster.replica('replica-a').kill('SIGKILL')).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    const b = cluster.clients.get('replica-b')!;
    await b.waitForReport<Report>(id, 120_000);
    const view = await viewSession({ client: b }, id);
    expectCompletedOnce(view, 'takeover');
    await expectLedgersAgree(cluster, view, 'takeover');
    expect(await cluster.sql('SELECT owner FROM sessions WHERE id = $1', [id])).toEqual([
      { owner: 'replica-b' },
    ]);
    expect(cluster.replica('replica-b').output()).toContain('"sessionId":"' + id + '"');
  }, 180_000);

  it('reports requested through either replica complete with the nodes spread over both', async () => {
    await cluster.startReplica('replica-a');
    // Node 0 is pinned to replica a and node 1 to replica b; node 2 stays behind the balancer.
    await pinNode(0, cluster.url('replica-a'));
    await pinNode(1, cluster.url('replica-b'));
    await cluster.waitForNodes('replica-a');
    await cluster.waitForNodes('replica-b');

    const ids = await Promise.all(
      (['replica-a', 'replica-b', 'replica-a', 'replica-b'] as const).map((replica, i) =>
        requestRevenueReport(
          cluster.clients.get(replica)!,
          cluster.setup.serviceDate,
          `either-${i}`,
        ),
      ),
    );
    for (const [i, id] of ids.entries()) {
      const client = cluster.clients.get(i % 2 === 0 ? 'replica-b' : 'replica-a')!;
      await client.waitForReport<Report>(id, 120_000);
      const view = await viewSession({ client }, id);
      expectCompletedOnce(view, `report ${i}`);
    }
    // The nodes were on different replicas: messages crossed them.
    const authenticated = (replica: string, index: number) =>
      cluster
        .replica(replica)
        .output()
        .includes(`"agencyId":"${cluster.setup.consortium.agencies[index].id}"`);
    expect([authenticated('replica-a', 0), authenticated('replica-b', 1)]).toEqual([true, true]);
  }, 240_000);

  it('kill -9 of the owner while a node stays connected to the other replica: the session completes there', async () => {
    // Node 1 stays on replica b throughout; nodes 0 and 2 go through the balancer. Replica a is
    // to own the session and stop mid input round: replica b is held still while a admits it.
    await pinNode(0, `http://127.0.0.1:${cluster.balancer.port}`);
    await cluster.replica('replica-a').kill('SIGTERM');
    await cluster.startReplica('replica-a', armFailpoints('coordinator.input-relayed'));
    await cluster.waitForNodes('replica-a');
    await cluster.waitForNodes('replica-b');

    const b = cluster.replica('replica-b');
    b.pause();
    let id: string;
    try {
      id = await requestRevenueReport(
        cluster.clients.get('replica-a')!,
        cluster.setup.serviceDate,
        'takeover-with-a-node-on-the-survivor',
      );
      // Replica a admits it at once (a frozen replica b cannot); should b have been frozen
      // inside its own admission round, PostgreSQL ends that transaction within 5 s.
      for (let t = 0; t < 80; t++) {
        const [row] = await cluster.sql<{ owner: string | null }>(
          'SELECT owner FROM sessions WHERE id = $1',
          [id],
        );
        if (row?.owner) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      b.resume();
    }
    expect(await cluster.sql('SELECT owner FROM sessions WHERE id = $1', [id])).toEqual([
      { owner: 'replica-a' },
    ]);
    await cluster.replica('replica-a').waitForFailpoint('coordinator.input-relayed', 60_000);
    await cluster.replica('replica-a').kill('SIGKILL');

    const client = cluster.clients.get('replica-b')!;
    await client.waitForReport<Report>(id, 120_000);
    const view = await viewSession({ client }, id);
    // Not `party-restarted`: party 2 accepted and never left replica b.
    expectCompletedOnce(view, 'takeover with a node on the survivor');
    await expectLedgersAgree(cluster, view, 'takeover with a node on the survivor');
    expect(cluster.nodes[1].output()).not.toMatch(/disconnected from the coordinator/);
  }, 240_000);

  /** Restarts node `index` with its coordinator URL set to `url` (before any session of it). */
  async function pinNode(index: number, url: string): Promise<void> {
    const agency = cluster.setup.consortium.agencies[index];
    const config = JSON.parse(readFileSync(agency.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(agency.configFile, JSON.stringify({ ...config, coordinatorUrl: url }));
    await cluster.nodes[index].kill('SIGTERM');
    cluster.nodes[index] = ManagedProcess.spawn(
      `node ${agency.id}`,
      builtEntry('cli'),
      ['node', '--config', agency.configFile],
      { LOG_LEVEL: 'info' },
    );
  }
});
