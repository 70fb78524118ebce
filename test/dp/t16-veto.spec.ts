import 'reflect-metadata';
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Server, type Socket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentityKeyPair, randomBelow, seededRandom, toHex } from '#concord/crypto';
import { privacyCharge } from '#concord/accounting';
import { Rational } from '#concord/dp';
import { EngineError, PartySession, verifyAcceptance } from '#concord/engine';
import { compileSessionPlan, planHash, readCatalogueDirectory } from '#concord/protocol';
import { FromNode, NODE_NAMESPACE, ToNode } from '#concord/wire';
import type { NodeConfig } from '../../apps/agency-node/src/config/node-config.js';
import { AgencyNode } from '../../apps/agency-node/src/node/agency-node.js';
import { NodeLedger } from '../../apps/agency-node/src/node/node-ledger.js';
import { PARTY_OF_ROLE, pinnedKeys, testConsortium, testIdentities } from './support/parties.js';

// T16 veto (docs/privacy.md): with the coordinator and one party colluding to overspend, a
// release does not happen when the third party's ledger replica is at its cap (100/100 trials).
// Every release needs all three parties' signed session keys and noise sharings, so the honest
// party's decline is a veto: the colluders can neither forge its acceptance nor go on without it.
// Then the same decline through the real AgencyNode, driven by a fake coordinator socket.

const catalogue = readCatalogueDirectory('protocols');
const entry = catalogue.find('revenue-per-boarding')!;
const identities = testIdentities('t16');
const consortium = testConsortium(identities);
const SCOPE = 'fares-and-ridership';

function plan(sessionId: string, serviceDate: string, budget: string) {
  return compileSessionPlan(entry.analysis, {
    sessionId,
    parameters: { serviceDate },
    axisValues: { route: ['R1'] },
    budget,
    parties: PARTY_OF_ROLE,
  });
}

const sessionId = (k: number): string =>
  `00000000-0000-4000-8000-${String(16_000 + k).padStart(12, '0')}`;

describe('T16 veto by the honest party’s ledger replica', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-t16-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('100/100 overspending requests are declined at cap and cannot be completed without it', () => {
    const rng = seededRandom('t16/trials');
    const impostor = generateIdentityKeyPair(seededRandom('t16/impostor'));
    const pinned = pinnedKeys(identities);
    // Party 1 (honest) has spent its whole cap on this day in an earlier, genuine session.
    const ledger = new NodeLedger(join(dir, 'honest.ledger.json'), Rational.of(4));
    const earlier = plan(sessionId(999), '2026-03-10', '2');
    expect(
      ledger.charge(earlier.sessionId, SCOPE, '2026-03-10', privacyCharge(Rational.of(4))).code,
    ).toBe('charged');
    const genuine = new PartySession({
      self: 1,
      plan: earlier,
      identity: identities[0],
      pinnedKeys: pinned,
      rng,
    }).acceptance();

    let vetoed = 0;
    for (let trial = 0; trial < 100; trial++) {
      const budget = ['1/100', '1/10', '1/2', '2'][Number(randomBelow(rng, 4n))];
      const p = plan(sessionId(trial), '2026-03-10', budget);
      // The honest replica declines: it never signs a session key or samples noise for it.
      const decision = ledger.charge(
        p.sessionId,
        SCOPE,
        '2026-03-10',
        privacyCharge(Rational.parse(p.budget.rho), Rational.parse(p.budget.xi)),
      );
      expect(decision).toMatchObject({ ok: false, code: 'budget-exhausted', limit: 'cap' });
      // Party 2 is willing (below its cap); party 3 colludes with the coordinator.
      const [s2, s3] = ([2, 3] as const).map(
        (self) =>
          new PartySession({
            self,
            plan: p,
            identity: identities[self - 1],
            pinnedKeys: pinned,
            rng,
          }),
      );
      // The coordinator substitutes an acceptance for party 1: forged with another key, or the
      // genuine acceptance of party 1's earlier session replayed.
      const forged = { ...genuine, sessionId: p.sessionId, planHash: planHash(p) };
      const substitute =
        trial % 2 === 0
          ? { ...forged, signature: toHex(new Uint8Array(64)) }
          : trial % 4 === 1
            ? genuine
            : new PartySession({
                self: 1,
                plan: p,
                identity: { ...impostor, publicKey: identities[0].publicKey },
                pinnedKeys: pinned,
                rng,
              }).acceptance();
      // None of them is party 1's signature over this session and plan.
      const valid =
        verifyAcceptance(identities[0].publicKey, substitute) &&
        substitute.sessionId === p.sessionId &&
        substitute.planHash === planHash(p);
      expect(valid).toBe(false);
      let refused: unknown;
      try {
        s2.receiveAcceptances([substitute, s2.acceptance(), s3.acceptance()]);
      } catch (e) {
        refused = e;
      }
      // Without a keyed party 2 there is no noise commitment, no input and no opening.
      const noRelease =
        refused instanceof EngineError &&
        refused.code === 'peer-key-invalid' &&
        refused.suspects.includes(1) &&
        (() => {
          try {
            s2.commitNoise(p.outputs.map((o) => new Array<bigint>(o.length).fill(0n)));
            return false;
          } catch (e) {
            return e instanceof EngineError && e.code === 'wrong-phase';
          }
        })();
      if (!decision.ok && noRelease) vetoed++;
    }
    expect(vetoed).toBe(100);
    expect(ledger.spent(SCOPE, '2026-03-10').toString()).toBe('4');
  });

  describe('through the real AgencyNode and a fake coordinator socket', () => {
    let http: HttpServer;
    let io: Server;
    let node: AgencyNode;
    let peer: Socket | undefined;
    const replies: {
      event: string;
      payload: { sessionId: string; code?: string; acceptance?: unknown };
    }[] = [];

    beforeAll(async () => {
      const data = join(dir, 'transit');
      writeFileSync(`${data}-trips.txt`, 'trip_id,route_id\nT1,R1\n');
      writeFileSync(
        `${data}-board_alight.txt`,
        'trip_id,record_use,boardings,service_date,service_arrival_time\nT1,0,12,20260310,08:15:00\nT1,0,7,20260311,09:15:00\n',
      );
      const ledgerFile = join(dir, 'node.ledger.json');
      // At its cap for 2026-03-10 already; 2026-03-11 untouched.
      new NodeLedger(ledgerFile, Rational.of(4)).charge(
        'earlier',
        SCOPE,
        '2026-03-10',
        privacyCharge(Rational.of(4)),
      );

      http = createServer();
      io = new Server(http, { transports: ['websocket'] });
      io.of(NODE_NAMESPACE).on('connection', (socket) => {
        peer = socket;
        socket.on(FromNode.authResponse, () => socket.emit(ToNode.authResult, { ok: true }));
        for (const event of [FromNode.sessionAccept, FromNode.sessionDecline])
          socket.on(event, (payload: (typeof replies)[number]['payload']) =>
            replies.push({ event, payload }),
          );
        socket.emit(ToNode.authChallenge, {
          coordinator: 'fake-coordinator',
          nonce: 'ab'.repeat(32),
        });
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const address = http.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const config = {
        agencyId: 'metro-transit',
        identityKeyFile: 'unused',
        consortiumFile: 'unused',
        coordinatorUrl: `http://127.0.0.1:${port}`,
        protocolsDir: 'protocols',
        approvedProtocols: [entry.hash],
        data: {
          'apc-boardings-by-route-hour': {
            trips: `${data}-trips.txt`,
            boardAlight: `${data}-board_alight.txt`,
          },
        },
        ledger: { capRho: '4', file: ledgerFile },
        // This test reads the ledger file back itself (at-rest sealing has its own tests).
        atRest: { plaintext: 'demo-only' },
      } as unknown as NodeConfig;
      node = new AgencyNode({
        config,
        identity: identities[0],
        consortium,
        catalogue,
        logger: pino({ level: 'silent' }),
        rng: seededRandom('t16/node'),
      });
      await node.start();
    }, 60_000);

    afterAll(async () => {
      node?.stop();
      // Closes the HTTP server too.
      await io?.close();
    });

    async function invite(id: string, serviceDate: string, budget: string) {
      const p = plan(id, serviceDate, budget);
      const before = replies.length;
      peer!.emit(ToNode.sessionInvite, {
        sessionId: id,
        planHash: planHash(p),
        reporter: 1,
        request: {
          protocolHash: entry.hash,
          parameters: { serviceDate },
          axisValues: { route: ['R1'] },
          budget,
        },
      });
      for (let i = 0; i < 200 && replies.length === before; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      return replies[before];
    }

    it('declines an invitation that would take its replica past the cap, accepts one within it', async () => {
      const declined = await invite('16161616-0000-4000-8000-000000000001', '2026-03-10', '1/100');
      expect(declined).toMatchObject({
        event: FromNode.sessionDecline,
        payload: { code: 'budget-exceeded' },
      });

      const accepted = await invite('16161616-0000-4000-8000-000000000002', '2026-03-11', '1/2');
      expect(accepted.event).toBe(FromNode.sessionAccept);
      expect(verifyAcceptance(identities[0].publicKey, accepted.payload.acceptance as never)).toBe(
        true,
      );
    });

    it('declines the same session re-invited with a larger budget', async () => {
      const again = await invite('16161616-0000-4000-8000-000000000002', '2026-03-11', '2');
      expect(again).toMatchObject({
        event: FromNode.sessionDecline,
        payload: { code: 'budget-exceeded' },
      });
    });
  });
});
