import { x25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAcceptance } from '#concord/engine';
import { FromNode, JIFF_SOCKET_PATH, signJiffCredential, ToNode } from '#concord/wire';
import { type Spawned, startNodeProcess } from '../../apps/agency-node/src/demo/processes.js';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';
import { readIdentityFile } from '../../apps/agency-node/src/keys/identity-file.js';
import { ManagedProcess } from '../support/managed-process.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';
import {
  type HostileSocket,
  hostileSocket,
  keyFlood,
  nestedArrayText,
  rawHttp,
} from './hostile-clients.js';
import { envelopeWithHeader, logInAs, nodeFrame, receivedAfter } from './logged-in-node.js';

interface Report {
  id: string;
  state: string;
  error: { code: string } | null;
}

const JSON_EVENTS = Object.values(FromNode).filter((e) => e !== FromNode.sessionEnvelope);
const SESSION_ID = '0b7d4c4e-8c5a-4f7e-9a57-8d8f3f3c2a11';
const ATTACKER_ADDRESS = '127.0.0.20';
const SID = `"sessionId":"${SESSION_ID}"`;

/** Frames under 64 KiB: parsed (cheaply, whatever they hold), then refused by their checks. */
const SMALL_CASES: [string, string, string][] = [
  ['3,000 deep', `{${SID},"acceptance":${nestedArrayText(3000)}}`, 'too-deep'],
  ['constructor', `{${SID},"constructor":{"prototype":{"x":1}}}`, 'forbidden-key'],
  ['__proto__', `{${SID},"__proto__":{"party":1}}`, 'forbidden-key'],
  ['prototype', `{${SID},"acceptance":{"prototype":{"party":1}}}`, 'forbidden-key'],
  ['nested constructor', `{${SID},"outputs":[{"constructor":{"name":"x"}}]}`, 'forbidden-key'],
  ['3,000 keys', JSON.stringify({ sessionId: SESSION_ID, ...keyFlood(3000) }), 'too-many-keys'],
  ['5,000 elements', `{${SID},"suspects":[${'0,'.repeat(4999)}0]}`, 'too-long'],
  ['string', '"session"', 'invalid-message'],
  ['number', '42', 'invalid-message'],
  ['null', 'null', 'invalid-message'],
  ['array', `["${SESSION_ID}"]`, 'invalid-message'],
  ['wrong field types', '{"sessionId":42,"party":"one","code":[],"seq":{}}', 'invalid-message'],
];
/** 3 MB that parse in milliseconds (one long string). */
const LONG_STRING = `{${SID},"message":"${'m'.repeat(3_000_000)}"}`;
/**
 * Frames of a few MB whose parse would take the coordinator a second or more (seconds at the
 * 33 MB frame limit): refused before they are parsed.
 */
const COSTLY_CASES: [string, string, string][] = [
  [
    '160,000 keys (2.5 MB)',
    JSON.stringify({ sessionId: SESSION_ID, ...keyFlood(160_000) }),
    'too-many-nodes',
  ],
  ['1,000,000 elements', `{${SID},"suspects":[${'0,'.repeat(999_999)}0]}`, 'too-many-nodes'],
  ['500,000 objects', `{${SID},"held":[${'{},'.repeat(499_999)}{}]}`, 'too-many-nodes'],
  ['3 MB of nested arrays', `{${SID},"held":${nestedArrayText(1_500_000)}}`, 'too-deep'],
];

/**
 * Hostile frames from a party that logged in with an agency's real identity key: the planning
 * agency's node is stopped and the test logs in in its place. Every frame must get a typed
 * refusal (never `internal-error`), the connection and the coordinator must stay up, and a session
 * the attacker is invited to must not be aborted by them as `internal-error`.
 */
describe('hostile input after login', { timeout: 120_000 }, () => {
  let run: RunningConsortium;
  let attacker: HostileSocket | undefined;
  const restarted: Spawned[] = [];
  const jiffNodes: ManagedProcess[] = [];
  const jiffClients: HostileSocket[] = [];
  const planning = (): RunningConsortium['consortium']['agencies'][number] =>
    run.consortium.agencies.find((a) => a.role === 'planning')!;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '1602' });
    const index = run.consortium.agencies.indexOf(planning());
    await run.nodes[index].stop();
    attacker = await logInAs(run.coordinator.url, planning().keyFile, ATTACKER_ADDRESS);
  }, 120_000);

  afterAll(async () => {
    attacker?.socket.disconnect();
    for (const c of jiffClients) c.socket.disconnect();
    await Promise.all(restarted.map((n) => n.stop()));
    await Promise.all(jiffNodes.map((n) => n.kill('SIGTERM')));
    await run?.stop();
  });

  /** Sends one frame and resolves with the code of the refusal it got. */
  const refusalOf = async (send: () => void): Promise<string> => {
    const from = attacker!.received.length;
    send();
    return ((await receivedAfter(attacker!, from, ToNode.error)) as { code: string }).code;
  };
  const raw = (event: string, json: string) => () =>
    attacker!.socket.io.engine.write(nodeFrame(event, json));
  const binary = (event: string, bytes: Buffer) => () => attacker!.socket.emit(event, bytes);
  const expectCoordinatorUp = async (): Promise<void> => {
    expect(run.coordinator.process.exitCode).toBeNull();
    const health = await rawHttp(run.coordinator.url, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    const agencies = await run.client.request<{ id: string; connected: boolean }[]>(
      'GET',
      '/agencies',
    );
    expect(agencies.body.map((a) => a.connected)).toEqual([true, true, true]);
  };

  it('refuses deep, reserved-key, key-flooded and mistyped frames of every event with a typed code, and stays connected', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const event of JSON_EVENTS) {
      for (const [what, json, code] of SMALL_CASES) {
        got.push(`${event} ${what}: ${await refusalOf(raw(event, json))}`);
        want.push(`${event} ${what}: ${code}`);
      }
      got.push(`${event} binary: ${await refusalOf(binary(event, randomBytes(4096)))}`);
      want.push(`${event} binary: invalid-message`);
      // Large but cheap to parse: refused by the message's own checks.
      got.push(`${event} 3 MB string: ${await refusalOf(raw(event, LONG_STRING))}`);
      want.push(`${event} 3 MB string: invalid-message`);
    }
    expect(got).toEqual(want);

    // The envelope event carries binary only: anything else, or bytes that are no envelope, or a
    // header that names no route, is `invalid-envelope`.
    const envelope = FromNode.sessionEnvelope;
    const envelopes: [string, () => void][] = [
      ...SMALL_CASES.map(([what, json]): [string, () => void] => [what, raw(envelope, json)]),
      ['random bytes', binary(envelope, randomBytes(4096))],
      ['too short', binary(envelope, Buffer.from([1, 0]))],
      ['header past the end', binary(envelope, Buffer.from([1, 255, 255, ...randomBytes(40)]))],
      [
        'deep header',
        binary(envelope, envelopeWithHeader(`{"sessionId":${nestedArrayText(500)}}`)),
      ],
      [
        'reserved-key header',
        binary(
          envelope,
          envelopeWithHeader(`{"__proto__":{"sessionId":"${SESSION_ID}"},"constructor":1}`),
        ),
      ],
      ['header no JSON', binary(envelope, envelopeWithHeader('{"sessionId": '))],
      ['over the envelope limit', binary(envelope, Buffer.alloc(5 * 1024 * 1024, 1))],
    ];
    const envelopeCodes: string[] = [];
    for (const [what, send] of envelopes) envelopeCodes.push(`${what}: ${await refusalOf(send)}`);
    expect(envelopeCodes).toEqual(envelopes.map(([what]) => `${what}: invalid-envelope`));

    // Nothing was `internal-error`, the attacker is still connected as the planning agency, the
    // coordinator runs and answers.
    expect(
      attacker!.received.filter(([, p]) => JSON.stringify(p ?? '').includes('internal')),
    ).toEqual([]);
    expect(attacker!.isClosed()).toBe(false);
    await expectCoordinatorUp();
  });

  it('refuses frames whose parse alone would stall the coordinator unparsed, and ends that connection', async () => {
    const got: string[] = [];
    for (const [what, json] of COSTLY_CASES) {
      for (const event of [FromNode.sessionAccept, FromNode.sessionEnvelope]) {
        const code = await refusalOf(raw(event, json));
        // A frame refused after it was parsed leaves the connection open: a probe sent next
        // gets its own refusal. One refused unparsed ended it, so the probe is never read.
        const probe = attacker!.received.length;
        raw(FromNode.heartbeat, '"probe"')();
        const outcome = await Promise.race([
          attacker!.closed,
          receivedAfter(attacker!, probe, ToNode.error).then(() => 'still connected'),
        ]);
        got.push(`${event} ${what}: ${code} (${outcome})`);
        if (attacker!.isClosed())
          attacker = await logInAs(run.coordinator.url, planning().keyFile, ATTACKER_ADDRESS);
      }
    }
    expect(got).toEqual(
      COSTLY_CASES.flatMap(([what, , code]) =>
        [FromNode.sessionAccept, FromNode.sessionEnvelope].map(
          (event) => `${event} ${what}: ${code} (io server disconnect)`,
        ),
      ),
    );
    await expectCoordinatorUp();
  });

  it('leaves a session it is invited to running after hostile frames, and aborts it with a typed code for a broken rule', async () => {
    const from = attacker!.received.length;
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect(created.status).toBe(202);
    const invite = (await receivedAfter(attacker!, from, ToNode.sessionInvite)) as {
      sessionId: string;
      planHash: string;
    };
    const sid = `"sessionId":"${invite.sessionId}"`;
    // Each names the session and is refused before the session sees it.
    const hostile: [string, string, string][] = [
      [FromNode.sessionAccept, `{${sid},"acceptance":${nestedArrayText(3000)}}`, 'too-deep'],
      [
        FromNode.sessionAccept,
        `{${sid},"acceptance":{"constructor":{"prototype":1}}}`,
        'forbidden-key',
      ],
      [FromNode.sessionAccept, `{${sid},"acceptance":{"__proto__":{"party":3}}}`, 'forbidden-key'],
      [
        FromNode.sessionDecline,
        `{${sid},${JSON.stringify(keyFlood(3000)).slice(1)}`,
        'too-many-keys',
      ],
      [
        FromNode.sessionCommit,
        `{${sid},"party":3,"commitments":${nestedArrayText(3000)}}`,
        'too-deep',
      ],
      [FromNode.sessionResult, `{${sid},"party":3,"outputs":[{"prototype":{}}]}`, 'forbidden-key'],
      [FromNode.sessionAbort, `{${sid},"code":{"constructor":1},"suspects":[]}`, 'forbidden-key'],
      [FromNode.sessionEnvelopeAck, `{${sid},"round":${nestedArrayText(3000)}}`, 'too-deep'],
      [FromNode.sessionSeal, `{${sid},"party":"3","headHash":42}`, 'invalid-message'],
    ];
    const codes: string[] = [];
    for (const [event, json] of hostile)
      codes.push(`${event}: ${await refusalOf(raw(event, json))}`);
    codes.push(
      `envelope: ${await refusalOf(
        binary(
          FromNode.sessionEnvelope,
          envelopeWithHeader(`{${sid},"round":{"constructor":1},"from":3,"to":1}`),
        ),
      )}`,
    );
    expect(codes).toEqual([
      ...hostile.map(([event, , code]) => `${event}: ${code}`),
      'envelope: invalid-envelope',
    ]);

    // The session still waits for the planning agency's answer: nothing above reached it.
    const during = await run.client.request<Report>('GET', `/reports/${created.body.id}`);
    expect([during.body.state, during.body.error]).toEqual(['inviting', null]);
    expect(attacker!.received.slice(from).map(([e]) => e)).not.toContain(ToNode.sessionAborted);

    // A well-formed acceptance that breaks a protocol rule (not signed by the agency's key) is the
    // session's to judge: refused with the rule's code, and the session aborts as `relay-refused`.
    const mark = attacker!.received.length;
    attacker!.socket.emit(FromNode.sessionAccept, {
      sessionId: invite.sessionId,
      acceptance: {
        sessionId: invite.sessionId,
        party: 3,
        planHash: invite.planHash,
        sessionKey: randomBytes(32).toString('hex'),
        signature: randomBytes(64).toString('hex'),
      },
    });
    expect(await receivedAfter(attacker!, mark, ToNode.error)).toMatchObject({
      sessionId: invite.sessionId,
      code: 'bad-signature',
    });
    expect(await receivedAfter(attacker!, mark, ToNode.sessionAborted)).toMatchObject({
      sessionId: invite.sessionId,
      code: 'relay-refused',
    });
    const ended = await run.client.waitForReport<Report>(created.body.id);
    expect([ended.state, ended.error?.code]).toEqual(['aborted', 'relay-refused']);
    expect(attacker!.isClosed()).toBe(false);
  });

  it('computes again once the real planning node is back', async () => {
    attacker!.socket.disconnect();
    restarted.push(startNodeProcess(planning().configFile, { LOG_LEVEL: 'warn' }));
    await run.admin.waitForAgencies();
    const after = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    const done = await run.client.waitForReport<Report>(after.body.id);
    expect([done.state, done.error]).toEqual(['completed', null]);
    expect(run.coordinator.process.exitCode).toBeNull();
  });

  it('refuses deep, reserved-key, flooded and mistyped frames after initialization at the JIFF endpoint', async () => {
    // A JIFF-mode session: the transit and payments nodes run the JIFF engine, the attacker is the
    // planning agency (its real identity key) and takes part properly up to the JIFF computation.
    await Promise.all([...run.nodes.slice(0, 2), ...restarted].map((n) => n.stop()));
    for (const agency of run.consortium.agencies.filter((a) => a.role !== 'planning'))
      jiffNodes.push(
        ManagedProcess.spawn(
          `node ${agency.id}`,
          builtEntry('cli'),
          ['node', '--config', agency.configFile, '--engine', 'jiff'],
          { LOG_LEVEL: 'warn' },
        ),
      );
    await Promise.all(jiffNodes.map((n) => n.waitForOutput('(engine jiff)')));
    attacker = await logInAs(run.coordinator.url, planning().keyFile, ATTACKER_ADDRESS, 'jiff');
    const { identity } = readIdentityFile(planning().keyFile);
    const jiffSecret = randomBytes(32);
    const jiffPublic = x25519.getPublicKey(jiffSecret);

    const from = attacker.received.length;
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect(created.status).toBe(202);
    const invite = (await receivedAfter(attacker, from, ToNode.sessionInvite)) as {
      sessionId: string;
      planHash: string;
      engine?: string;
    };
    expect(invite.engine).toBe('jiff');
    const sessionId = invite.sessionId;
    attacker.socket.emit(FromNode.sessionAccept, {
      sessionId,
      acceptance: signAcceptance(identity, {
        sessionId,
        party: 3,
        planHash: invite.planHash,
        sessionKey: randomBytes(32).toString('hex'),
        jiffKey: Buffer.from(jiffPublic).toString('hex'),
      }),
    });
    await receivedAfter(attacker, from, ToNode.sessionKeys);
    attacker.socket.emit(FromNode.sessionCommit, {
      sessionId,
      party: 3,
      commitments: { 1: randomBytes(32).toString('hex'), 2: randomBytes(32).toString('hex') },
    });
    await receivedAfter(attacker, from, ToNode.sessionCommitments);

    // Its JIFF client joins the computation with a valid credential.
    const join = async (): Promise<HostileSocket> => {
      const c = await hostileSocket(run.coordinator.url, {
        localAddress: ATTACKER_ADDRESS,
        path: JIFF_SOCKET_PATH,
      });
      jiffClients.push(c);
      c.socket.emit(
        'initialization',
        JSON.stringify({
          computation_id: sessionId,
          party_id: 3,
          party_count: 3,
          public_key: `[${[...jiffPublic].join(',')}]`,
          credential: signJiffCredential(identity, sessionId, 3),
        }),
      );
      expect(JSON.parse((await c.next('initialization')) as string)).toMatchObject({
        party_id: 3,
      });
      return c;
    };
    let jiff = await join();
    const refusalOf = async (event: string, ...args: unknown[]): Promise<string> => {
      const mark = jiff.received.length;
      jiff.socket.emit(event, ...args);
      return (JSON.parse((await receivedAfter(jiff, mark, 'error')) as string) as { code: string })
        .code;
    };
    // Dealer material only for the attacker itself: proves the endpoint still serves it.
    const dealerAnswers = async (opId: string): Promise<boolean> => {
      const mark = jiff.received.length;
      jiff.socket.emit(
        'crypto_provider',
        JSON.stringify({
          label: 'numbers',
          op_id: opId,
          receivers: [3],
          threshold: 1,
          Zp: 16777729,
          params: { count: 1 },
        }),
      );
      // Unacknowledged answers to earlier probes are delivered again after a rejoin: skip them.
      const answer = await receivedAfter(
        jiff,
        mark,
        'crypto_provider',
        (p) => (JSON.parse(p as string) as { op_id?: string }).op_id === opId,
      );
      return answer !== undefined;
    };
    expect(await dealerAnswers('probe-before')).toBe(true);

    const deep = nestedArrayText(3000);
    const share = (fields: string): string => `{"op_id":"x","share":"s",${fields}}`;
    const cases: [string, unknown[], string][] = [
      ['share 3,000 deep', ['share', share(`"party_id":1,"x":${deep}`)], 'payload-too-large'],
      ['open 3,000 deep', ['open', share(`"party_id":1,"Zp":${deep}`)], 'payload-too-large'],
      [
        'custom 3,000 deep',
        ['custom', `{"party_id":1,"tag":"t","message":${deep}}`],
        'payload-too-large',
      ],
      ['crypto_provider 3,000 deep', ['crypto_provider', `{"label":${deep}}`], 'payload-too-large'],
      // JSON.parse makes `__proto__` an own key: it never re-parents the message.
      ['share __proto__', ['share', share('"__proto__":{"party_id":1}')], 'invalid-receiver'],
      [
        'share constructor',
        ['share', share('"constructor":{"prototype":{"party_id":1}}')],
        'invalid-receiver',
      ],
      [
        'crypto_provider constructor',
        ['crypto_provider', '{"label":"constructor","op_id":"c"}'],
        'unknown-crypto-label',
      ],
      [
        'crypto_provider __proto__',
        ['crypto_provider', '{"label":"__proto__","op_id":"c"}'],
        'unknown-crypto-label',
      ],
      ['share 5,000 keys', ['share', JSON.stringify(keyFlood(5000))], 'invalid-receiver'],
      [
        'crypto_provider 5,000 keys',
        ['crypto_provider', JSON.stringify(keyFlood(5000))],
        'unknown-crypto-label',
      ],
      [
        'share over 64 KiB',
        ['share', share(`"party_id":1,"pad":"${'p'.repeat(70_000)}"`)],
        'payload-too-large',
      ],
      ['share object', ['share', { party_id: 1, op_id: 'x', share: 's' }], 'invalid-payload'],
      ['share binary', ['share', randomBytes(1024)], 'invalid-payload'],
      ['share number', ['share', 42], 'invalid-payload'],
      ['share two strings', ['share', share('"party_id":1'), 'more'], 'invalid-payload'],
      ['share no argument', ['share'], 'invalid-payload'],
      ['share null', ['share', 'null'], 'invalid-payload'],
      ['share array', ['share', '[1,2]'], 'invalid-payload'],
      ['share unterminated', ['share', '{"party_id": '], 'invalid-json'],
      ['share to itself', ['share', share('"party_id":3')], 'invalid-receiver'],
      ['share to s1', ['share', share('"party_id":"s1"')], 'invalid-receiver'],
      ['unknown event', ['no-such-event', '{}'], 'unknown-event'],
      [
        'initialization as the server',
        ['initialization', `{"computation_id":"${sessionId}","party_id":"s1"}`],
        'reserved-party-id',
      ],
    ];
    const got: string[] = [];
    for (const [what, args] of cases)
      got.push(`${what}: ${await refusalOf(...(args as [string, ...unknown[]]))}`);
    expect(got).toEqual(cases.map(([what, , code]) => `${what}: ${code}`));
    expect(jiff.isClosed()).toBe(false);
    expect(await dealerAnswers('probe-after')).toBe(true);

    // A frame past socket.io's own 1 MiB cap costs the sender its connection; it joins again.
    jiff.socket.emit('share', share(`"party_id":1,"pad":"${'p'.repeat(2 * 1024 * 1024)}"`));
    await jiff.closed;
    jiff = await join();
    expect(await dealerAnswers('probe-rejoined')).toBe(true);

    // The session is still computing (waiting for the attacker's inputs), not aborted; the
    // coordinator answers. The attacker then stops it the way a node does.
    const during = await run.client.request<Report>('GET', `/reports/${created.body.id}`);
    expect([during.body.state, during.body.error]).toEqual(['running', null]);
    expect(run.coordinator.process.exitCode).toBeNull();
    expect((await rawHttp(run.coordinator.url, { method: 'GET', path: '/health' })).status).toBe(
      200,
    );
    attacker.socket.emit(FromNode.sessionAbort, {
      sessionId,
      code: 'test-ends-here',
      message: 'the hostile-input test stops its session',
      suspects: [],
    });
    const ended = await run.client.waitForReport<Report>(created.body.id);
    expect([ended.state, ended.error?.code]).toEqual(['aborted', 'party-aborted']);
  });
});
