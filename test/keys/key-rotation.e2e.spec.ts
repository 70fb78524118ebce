import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptExportFile } from '#concord/audit';
import { systemRandom } from '#concord/crypto';
import { appendEntry, signSeal, type TranscriptEntry } from '#concord/transcript';
import {
  readIdentityFile,
  writeIdentityFile,
} from '../../apps/agency-node/src/keys/identity-file.js';
import { startNodeProcess, type Spawned } from '../../apps/agency-node/src/demo/processes.js';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';
import { auditVerify } from '../support/audit-cli.js';
import { ManagedProcess } from '../support/managed-process.js';
import { runRevenueReport } from '../support/revenue-report.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

/**
 * Rotation and revocation of an agency's identity key with real processes: the `concord` CLI
 * writes and applies the statements, the coordinator re-reads the consortium file on SIGHUP,
 * nodes restart on the updated file, and `concord audit verify` checks every transcript with the
 * keys of its time.
 */
describe('rotating and revoking an agency’s identity key', { timeout: 120_000 }, () => {
  let run: RunningConsortium;
  let nodes: Spawned[];
  const extra: Spawned[] = [];

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '5151', env: { LOG_LEVEL: 'info' } });
    nodes = [...run.nodes];
  }, 120_000);
  afterAll(async () => {
    await Promise.all(extra.map((s) => s.stop()));
    await run?.stop();
  });

  const cli = async (...args: string[]): Promise<{ code: number | null; output: string }> => {
    const p = ManagedProcess.spawn('concord', builtEntry('cli'), args, {});
    const exit = await p.waitForExit();
    return { code: exit.code, output: p.output() };
  };
  /** `concord consortium update` of the consortium file with one statement. */
  const updateConsortium = (statement: string): ReturnType<typeof cli> =>
    cli('consortium', 'update', '--consortium', consortiumFile(), '--statement', statement);
  const exportOf = async (id: string): Promise<TranscriptExportFile> =>
    (await run.admin.request<TranscriptExportFile>('GET', `/sessions/${id}/transcript`)).body;
  /** Sends the coordinator SIGHUP and waits for it to say it re-read the consortium file. */
  const hangup = async (): Promise<void> => {
    const before = run.coordinator.output().split('consortium re-read').length;
    run.coordinator.process.kill('SIGHUP');
    const deadline = Date.now() + 30_000;
    while (run.coordinator.output().split('consortium re-read').length === before) {
      if (Date.now() > deadline) throw new Error(`no re-read:\n${run.coordinator.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** A node of `agencyIndex` with another key file; resolves with its exit if it is refused. */
  const nodeWithKey = (agencyIndex: number, keyFile: string, name: string): Spawned => {
    const agency = run.consortium.agencies[agencyIndex];
    const config = JSON.parse(readFileSync(agency.configFile, 'utf8')) as Record<string, unknown>;
    const file = join(run.dir, `${name}.node.json`);
    writeFileSync(file, JSON.stringify({ ...config, identityKeyFile: keyFile }));
    const node = startNodeProcess(file, { LOG_LEVEL: 'warn' });
    extra.push(node);
    return node;
  };
  const exitOf = (s: Spawned): Promise<number | null> =>
    new Promise((resolve) => {
      if (s.process.exitCode !== null) resolve(s.process.exitCode);
      else s.process.once('exit', resolve);
    });
  /**
   * The same session re-recorded as if it ran at `at`: every entry re-timed and re-chained, and
   * sealed again by the three agencies' key files (party 1's given): every signature valid, only
   * the time differs.
   */
  const retimed = (file: TranscriptExportFile, at: number, party1Key: string): unknown => {
    const entries: TranscriptEntry[] = [];
    for (const [i, e] of file.entries.entries()) {
      entries.push(
        appendEntry(file.sessionId, entries.at(-1), e.kind, e.body, new Date(at + i * 10)),
      );
    }
    const head = entries.at(-1)!.hash;
    const keyFiles = [
      party1Key,
      run.consortium.agencies[1].keyFile,
      run.consortium.agencies[2].keyFile,
    ];
    return {
      ...file,
      entries,
      seals: file.seals.map((s) => ({
        ...s,
        headHash: head,
        signature: Buffer.from(
          signSeal(readIdentityFile(keyFiles[s.party - 1]).identity, file.sessionId, head),
        ).toString('hex'),
      })),
    };
  };

  const consortiumFile = (): string => run.consortium.consortiumFile;
  const transit = (): (typeof run.consortium.agencies)[number] => run.consortium.agencies[0];
  let first: TranscriptExportFile;
  let second: TranscriptExportFile;
  let rotatedAt: number;
  let newKey: string;

  it('runs a session with the old key, rotates, and runs the next with the new key', async () => {
    const one = await runRevenueReport(run.client, run.serviceDate, 'rotation-1');
    expect(one.state).toBe('completed');
    first = await exportOf(one.id);

    newKey = join(run.dir, 'metro-transit.epoch1.key.json');
    writeIdentityFile(newKey, transit().id, systemRandom);
    rotatedAt = Date.now();
    const statement = join(run.dir, 'rotation.json');
    const rotate = await cli(
      'keys',
      'rotate',
      '--consortium',
      consortiumFile(),
      '--agency',
      transit().id,
      '--old-key',
      transit().keyFile,
      '--new-key',
      newKey,
      '--effective',
      new Date(rotatedAt).toISOString(),
      '--out',
      statement,
    );
    expect(rotate.code, rotate.output).toBe(0);
    expect(rotate.output).toMatch(/metro-transit: key epoch 1 .* takes over from epoch 0/);
    const update = await updateConsortium(statement);
    expect(update.code, update.output).toBe(0);
    const file = JSON.parse(readFileSync(consortiumFile(), 'utf8')) as {
      format: string;
      agencies: { keys: { epoch: number; supersededAt?: string }[] }[];
      statements: { type: string }[];
    };
    expect(file.format).toBe('concord-consortium/v2');
    expect(file.agencies[0].keys.map((k) => k.epoch)).toEqual([0, 1]);
    expect(file.statements.map((s) => s.type)).toEqual(['rotation']);

    // Every process picks up the updated file: the coordinator on SIGHUP, nodes on restart.
    await Promise.all(nodes.map((n) => n.stop()));
    await hangup();

    // The old key, after the rotation took effect: its login is refused, saying why.
    const stale = nodeWithKey(0, transit().keyFile, 'stale');
    expect(await exitOf(stale)).toBe(1);
    expect(stale.output()).toMatch(/key epoch 0 was superseded by epoch 1/);
    expect(run.coordinator.output()).toMatch(
      /node login refused: agency metro-transit's key epoch 0 was superseded/,
    );

    nodes = [
      nodeWithKey(0, newKey, 'epoch1'),
      startNodeProcess(run.consortium.agencies[1].configFile, { LOG_LEVEL: 'warn' }),
      startNodeProcess(run.consortium.agencies[2].configFile, { LOG_LEVEL: 'warn' }),
    ];
    extra.push(...nodes);
    await run.admin.waitForAgencies();
    const two = await runRevenueReport(run.client, run.serviceDate, 'rotation-2');
    expect(two.error).toBeNull();
    expect(two.state).toBe('completed');
    second = await exportOf(two.id);
    const accepted = second.entries.filter((e) => e.kind === 'party.accepted');
    expect(accepted.map((e) => [e.body.party, e.body.keyEpoch])).toEqual(
      expect.arrayContaining([
        [1, 1],
        [2, 0],
        [3, 0],
      ]),
    );
  });

  it('verifies both transcripts against the updated consortium, and fails one signed with the old key after the rotation', async () => {
    for (const [name, t] of [
      ['first', first],
      ['second', second],
    ] as const) {
      const audit = await auditVerify(t, { dir: run.dir, consortiumFile: consortiumFile(), name });
      expect(audit.code, audit.output).toBe(0);
    }
    const late = await auditVerify(retimed(first, rotatedAt + 60_000, transit().keyFile), {
      dir: run.dir,
      consortiumFile: consortiumFile(),
      name: 'late',
    });
    expect(late.code).toBe(1);
    expect(late.output).toMatch(
      /identity keys.*party 1 accepted at .* with a key not in force then: .*key epoch 0 was superseded by epoch 1/,
    );
    // The same session with its real times still verifies: only the time differs.
    const same = await auditVerify(
      retimed(first, Date.parse(first.entries[0].at), transit().keyFile),
      {
        dir: run.dir,
        consortiumFile: consortiumFile(),
        name: 'same',
      },
    );
    expect(same.code, same.output).toBe(0);
  });

  it('revokes the new key with the two other agencies’ signatures: login refused, later transcripts fail, earlier ones verify', async () => {
    const revokedAt = Date.now();
    const statement = join(run.dir, 'revocation.json');
    const byPayments = await cli(
      'consortium',
      'revoke',
      '--consortium',
      consortiumFile(),
      '--agency',
      transit().id,
      '--epoch',
      '1',
      '--revoked-at',
      new Date(revokedAt).toISOString(),
      '--reason',
      'key file copied to a lost laptop',
      '--signer-key',
      run.consortium.agencies[1].keyFile,
      '--out',
      statement,
    );
    expect(byPayments.code, byPayments.output).toBe(0);
    expect(byPayments.output).toMatch(/still needs the signature of city-planning/);
    const early = await updateConsortium(statement);
    expect(early.code).toBe(1);
    expect(early.output).toMatch(/still needs the signature of city-planning/);
    const byPlanning = await cli(
      'consortium',
      'revoke',
      '--consortium',
      consortiumFile(),
      '--statement',
      statement,
      '--signer-key',
      run.consortium.agencies[2].keyFile,
      '--out',
      statement,
    );
    expect(byPlanning.code, byPlanning.output).toBe(0);
    expect(byPlanning.output).toMatch(/complete/);
    const update = await updateConsortium(statement);
    expect(update.code, update.output).toBe(0);
    expect(update.output).toMatch(/metro-transit: key epoch 1 revoked from/);

    await nodes[0].stop();
    await hangup();
    const revoked = nodeWithKey(0, newKey, 'revoked');
    expect(await exitOf(revoked)).toBe(1);
    expect(revoked.output()).toMatch(/key epoch 1 is revoked since/);

    // Sealed before the declared compromise: still valid. Made after it: refused.
    const before = await auditVerify(second, {
      dir: run.dir,
      consortiumFile: consortiumFile(),
      name: 'before',
    });
    expect(before.code, before.output).toBe(0);
    const after = await auditVerify(retimed(second, revokedAt + 60_000, newKey), {
      dir: run.dir,
      consortiumFile: consortiumFile(),
      name: 'after',
    });
    expect(after.code).toBe(1);
    expect(after.output).toMatch(/key epoch 1 is revoked since .*key file copied to a lost laptop/);
  });
});
