import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { readEnvelopeHeader, sha256, toHex } from '#concord/crypto';
import { resultDigest, verifyAcceptance } from '#concord/engine';
import { fieldById, jiffPrimeFor } from '#concord/field';
import { type JiffRelay, relaySetDigest } from '#concord/jiff-server';
import { outputErrorBars } from '#concord/protocol';
import { type PartyNumber, releaseDigest, verifySeal } from '#concord/transcript';
import {
  type AbortCode,
  JIFF_SOCKET_PATH,
  type AbortReportDto,
  type NoiseCommitDto,
  type ResultReportDto,
  type SealDto,
  type SessionAcceptDto,
  type SessionDeclineDto,
  ToNode,
  verifyJiffCredential,
  WireLimits,
} from '#concord/wire';
import { AgenciesService } from '../agencies/agencies.service.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { NodeConnections } from '../gateway/node-connections.js';
import { JiffEndpoint } from '../jiff/jiff-endpoint.service.js';
import { NodeEngines } from '../jiff/node-engines.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import type { CreateReportDto } from './dto/create-report.dto.js';
import type { LiveJiffSession, LiveSession } from './live-session.js';
import { decodeReportedValues } from '#concord/coordination';
import type { OutputRelease, Session } from './session.js';
import { SessionsService } from './sessions.service.js';

/** A node broke the protocol; the message goes back to that node, never to analysts. */
export class RelayRefusal extends Error {}

const PARTIES = [1, 2, 3] as const;
/** The party that sends the opened values along with its result digest. */
const REPORTER = 1;
/**
 * JIFF mode: distinct messages the endpoint may relay for one session. Far above what any
 * catalogue plan needs (a few per cell and party); a party flooding the relay aborts the session.
 */
const MAX_JIFF_RELAYS = 5_000_000;

/**
 * Runs sessions: invites the three nodes, relays what they send (envelopes it cannot read),
 * writes every step to the transcript, stores the noisy results and collects the seals. It
 * never sees a share in the clear and holds no key that could open an envelope.
 */
@Injectable()
export class SessionOrchestrator implements OnModuleInit, OnApplicationShutdown {
  private readonly live = new Map<string, LiveSession>();

  constructor(
    private readonly sessions: SessionsService,
    private readonly transcript: TranscriptService,
    private readonly ledger: LedgerService,
    private readonly agencies: AgenciesService,
    private readonly connections: NodeConnections,
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly jiff: JiffEndpoint,
    private readonly engines: NodeEngines,
  ) {}

  async onModuleInit(): Promise<void> {
    // Sessions cannot resume across a coordinator restart: abort them cleanly.
    for (const id of await this.sessions.unfinished()) {
      const entries = await this.transcript.entries(id);
      // A JIFF-mode session counts as opened from the start of its JIFF computation (see startJiff).
      const opened = entries.some(
        (e) => (e.kind === 'envelope' && e.body.round === 'open') || e.kind === 'jiff.started',
      );
      await this.finishAborted(
        id,
        'internal-error',
        'the coordinator restarted while the session ran',
        opened,
        entries[0]?.kind === 'session.created' ? entries[0].body.requestId : undefined,
      );
    }
    this.connections.whenConnected(() => {
      for (const live of this.live.values()) void this.invite(live);
    });
    this.connections.whenDisconnected((party) => {
      for (const live of [...this.live.values()])
        void this.abort(live, 'party-disconnected', `party ${party} disconnected`);
    });
    this.jiff.onRelay((relay) => this.onJiffRelay(relay));
  }

  onApplicationShutdown(): void {
    for (const live of this.live.values()) clearTimeout(live.timer);
  }

  /** POST /reports: creates (or, for a repeated request id, finds) a session and starts it. */
  async request(dto: CreateReportDto, requestedBy: string): Promise<Session> {
    const { session, created } = await this.sessions.create(dto, requestedBy);
    if (!created) return session;
    const live: LiveSession = {
      id: session.id,
      plan: session.plan,
      planHash: session.planHash,
      requestId: session.requestId,
      levels: Math.max(0, ...session.plan.nodes.map((n) => n.level)),
      acceptances: new Map(),
      commitments: new Map(),
      relayed: new Set(),
      opened: false,
      results: new Map(),
      sealed: new Set(),
      head: undefined,
      timer: undefined,
      finished: false,
    };
    live.timer = setTimeout(
      () =>
        void this.abort(
          live,
          'timeout',
          `session did not complete within ${this.config.SESSION_TIMEOUT_MS} ms`,
        ),
      this.config.SESSION_TIMEOUT_MS,
    );
    live.timer.unref();
    this.live.set(live.id, live);
    this.logger.info({ sessionId: live.id, protocol: session.protocol.id }, 'session created');
    await this.invite(live);
    return this.sessions.get(session.id);
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  private async invite(live: LiveSession): Promise<void> {
    if (live.finished || !PARTIES.every((p) => this.connections.isConnected(p))) return;
    if (!(await this.sessions.transition(live.id, 'inviting'))) return;
    const engine = this.engines.commonEngine(PARTIES);
    if (engine === undefined) {
      await this.abort(
        live,
        'engine-mismatch',
        `the connected agency nodes run different engines (${this.engines.describe(PARTIES)}); ` +
          'a session runs with all three on the native engine or all three on JIFF',
      );
      return;
    }
    live.engine = engine;
    const { plan } = live;
    const invite = {
      ...(engine === 'jiff' ? { engine } : {}),
      sessionId: live.id,
      planHash: live.planHash,
      reporter: REPORTER,
      request: {
        protocolHash: plan.protocol.hash,
        parameters: plan.parameters,
        axisValues: Object.fromEntries(
          plan.axes.flatMap((a) => ('values' in a ? [[a.name, a.values]] : [])),
        ),
        budget: plan.budget.value,
      },
    };
    for (const p of PARTIES) this.connections.send(p, ToNode.sessionInvite, invite);
  }

  async onAccept(party: number, dto: SessionAcceptDto): Promise<void> {
    const live = this.liveFor(dto.sessionId);
    const a = dto.acceptance;
    const agency = this.agencies.byParty(party);
    if (
      a.party !== party ||
      a.sessionId !== live.id ||
      a.planHash !== live.planHash ||
      !agency ||
      !verifyAcceptance(agency.identityKey, a)
    ) {
      throw new RelayRefusal('acceptance is not signed by this agency for this session and plan');
    }
    // JIFF mode: each party signs the key its JIFF client uses; native acceptances carry none.
    if ((live.engine === 'jiff') !== (a.jiffKey !== undefined)) {
      throw new RelayRefusal(
        live.engine === 'jiff'
          ? 'a JIFF-mode acceptance must sign the party’s JIFF key'
          : 'a native acceptance carries no JIFF key',
      );
    }
    if (live.acceptances.has(party)) return;
    live.acceptances.set(party, a);
    // Decided synchronously, so exactly one handler sees the third acceptance.
    const complete = live.acceptances.size === 3;
    await this.transcript.append(live.id, 'party.accepted', {
      party,
      agency: agency.id,
      sessionKey: a.sessionKey,
      ...(a.jiffKey === undefined ? {} : { jiffKey: a.jiffKey }),
      signature: a.signature,
    });
    if (!complete || live.finished) return;
    await this.sessions.transition(live.id, 'running');
    const acceptances = PARTIES.map((p) => live.acceptances.get(p));
    for (const p of PARTIES)
      this.connections.send(p, ToNode.sessionKeys, { sessionId: live.id, acceptances });
  }

  async onDecline(party: number, dto: SessionDeclineDto): Promise<void> {
    await this.abort(
      this.liveFor(dto.sessionId),
      'declined',
      `party ${party} declined (${dto.code}): ${dto.message}`,
    );
  }

  async onCommit(party: number, dto: NoiseCommitDto): Promise<void> {
    const live = this.liveFor(dto.sessionId);
    const others = PARTIES.filter((p) => p !== party).map(String);
    if (
      dto.party !== party ||
      live.acceptances.size < 3 ||
      Object.keys(dto.commitments).sort().join() !== others.join()
    ) {
      throw new RelayRefusal(
        'noise commitment out of turn or not addressed to the two other parties',
      );
    }
    if (live.commitments.has(party)) return;
    live.commitments.set(party, dto);
    const complete = live.commitments.size === 3;
    await this.transcript.append(live.id, 'noise.committed', {
      party,
      commitments: dto.commitments,
    });
    if (!complete || live.finished) return;
    if (live.engine === 'jiff' && !(await this.startJiff(live))) return;
    const commitments = PARTIES.map((p) => live.commitments.get(p));
    for (const p of PARTIES)
      this.connections.send(p, ToNode.sessionCommitments, { sessionId: live.id, commitments });
  }

  /** Relays one envelope: checks its routing header, records its digest, forwards its bytes. */
  async onEnvelope(party: number, data: unknown): Promise<void> {
    if (!(data instanceof Uint8Array) || data.byteLength > WireLimits.maxEnvelopeBytes) {
      throw new RelayRefusal('an envelope must be binary and at most the envelope size limit');
    }
    let header: Record<string, unknown>;
    try {
      header = readEnvelopeHeader(data).header;
    } catch {
      throw new RelayRefusal('malformed envelope');
    }
    const { sessionId, round, from, to, chunk, chunks } = header;
    if (typeof sessionId !== 'string') throw new RelayRefusal('envelope names no session');
    const live = this.liveFor(sessionId);
    if (live.engine === 'jiff') throw new RelayRefusal('a JIFF-mode session relays no envelopes');
    const validRound =
      typeof round === 'string' &&
      (round === 'input' || round === 'open' || this.isMulRound(round, live.levels));
    if (
      from !== party ||
      !PARTIES.includes(to as 1) ||
      to === from ||
      !validRound ||
      !Number.isSafeInteger(chunks) ||
      !Number.isSafeInteger(chunk) ||
      (chunk as number) < 0 ||
      (chunk as number) >= (chunks as number) ||
      (chunks as number) > 4096 ||
      live.commitments.size < 3
    ) {
      throw new RelayRefusal('envelope header does not fit the session');
    }
    const key = `${String(round)}|${String(from)}|${String(to)}|${String(chunk)}`;
    if (live.relayed.has(key)) throw new RelayRefusal('envelope replayed');
    live.relayed.add(key);
    const firstOpening = round === 'open' && !live.opened;
    if (firstOpening) live.opened = true;
    await this.transcript.append(live.id, 'envelope', {
      round,
      from: from as PartyNumber,
      to: to as PartyNumber,
      chunk: chunk as number,
      chunks: chunks as number,
      bytes: data.byteLength,
      digest: toHex(sha256(data)),
    });
    // Once an opening moves, results may exist: make that durable first, so a crash can never
    // be mistaken for "nothing opened" (and refunded) after the fact.
    if (firstOpening) await this.transcript.flushed(live.id);
    if (!this.connections.send(to as number, ToNode.sessionEnvelope, data)) {
      await this.abort(live, 'party-disconnected', `party ${String(to)} is not connected`);
    }
  }

  async onResult(party: number, dto: ResultReportDto): Promise<void> {
    const live = this.liveFor(dto.sessionId);
    if (dto.party !== party || live.results.has(party))
      throw new RelayRefusal('result out of turn');
    let texts: readonly string[] | undefined;
    if (party === REPORTER) {
      const decoded = decodeReportedValues(live.plan, dto.outputs ?? []);
      if (!decoded || resultDigest(live.id, decoded.opened) !== dto.resultDigest) {
        throw new RelayRefusal('reported values do not match the plan or their digest');
      }
      texts = decoded.texts;
    }
    live.results.set(party, { digest: dto.resultDigest, texts });
    const complete = live.results.size === 3;
    await this.transcript.append(live.id, 'party.result', {
      party,
      resultDigest: dto.resultDigest,
    });
    if (!complete || live.finished) return;
    const digests = new Set([...live.results.values()].map((r) => r.digest));
    if (digests.size !== 1) {
      await this.abort(live, 'results-disagree', 'the parties opened different results');
      return;
    }
    if (live.jiff) await this.recordJiffRelay(live, live.jiff);
    await this.release(live);
  }

  private async release(live: LiveSession): Promise<void> {
    const reported = live.results.get(REPORTER)!.texts!;
    const outputs: OutputRelease[] = live.plan.outputs.map((o, i) => {
      const bars = outputErrorBars(o);
      return {
        name: o.name,
        unit: o.unit,
        valuesText: reported[i],
        cells: o.length,
        intervalHalfWidth: bars.halfWidth,
        confidenceLevel: bars.confidenceLevel,
        noise: {
          ...o.noise,
          rho: o.rho,
          xi: o.xi,
          epsilon: bars.epsilon,
          delta: bars.delta,
          noiseVariance: bars.noiseVariance,
        },
      };
    });
    const digest = live.results.get(REPORTER)!.digest;
    const entry = await this.transcript.append(live.id, 'session.results', {
      resultDigest: digest,
      releaseDigest: releaseDigest(
        live.id,
        outputs.map((o) => ({
          name: o.name,
          unit: o.unit,
          values: o.valuesText,
          intervalHalfWidth: o.intervalHalfWidth.toString(),
          confidenceLevel: o.confidenceLevel,
        })),
      ),
      outputs: outputs.map((o) => ({
        name: o.name,
        cells: o.cells,
        intervalHalfWidth: o.intervalHalfWidth.toString(),
      })),
    });
    live.head = entry.hash;
    await this.sessions.release(live.id, outputs);
    const entries = await this.transcript.entries(live.id);
    for (const p of PARTIES)
      this.connections.send(p, ToNode.sessionSealRequest, { sessionId: live.id, entries });
  }

  async onSeal(party: number, dto: SealDto): Promise<void> {
    const live = this.liveFor(dto.sessionId);
    const agency = this.agencies.byParty(party);
    if (
      dto.party !== party ||
      !agency ||
      !live.head ||
      dto.headHash !== live.head ||
      !verifySeal(agency.identityKey, live.id, dto.headHash, dto.signature)
    ) {
      throw new RelayRefusal(
        'seal is not this agency’s signature over the current transcript head',
      );
    }
    if (live.sealed.has(party)) return;
    live.sealed.add(party);
    const complete = live.sealed.size === 3;
    await this.sessions.addSeal(live.id, {
      party,
      agencyId: agency.id,
      headHash: dto.headHash,
      signature: dto.signature,
    });
    if (!complete || live.finished) return;
    live.finished = true;
    clearTimeout(live.timer);
    await this.sessions.transition(live.id, 'completed', {
      transcriptHead: live.head,
      completedAt: new Date(),
    });
    this.forget(live);
    this.logger.info({ sessionId: live.id }, 'session completed');
  }

  async onAbortReport(party: number, dto: AbortReportDto): Promise<void> {
    const live = this.live.get(dto.sessionId);
    if (!live) return;
    const suspects =
      dto.suspects.length > 0 ? ` (suspects: party ${dto.suspects.join(', party ')})` : '';
    await this.abort(
      live,
      'party-aborted',
      `party ${party} aborted (${dto.code}): ${dto.message}${suspects}`,
    );
  }

  /** Aborts a session whose message the coordinator failed to handle (never left hanging). */
  async failInternally(sessionId: string | undefined, party: number): Promise<void> {
    const live = sessionId ? this.live.get(sessionId) : undefined;
    if (live)
      await this.abort(
        live,
        'internal-error',
        `the coordinator failed to handle a message from party ${party}`,
      );
  }

  /** Aborts a session for a protocol violation by a node. */
  async refuse(sessionId: string | undefined, party: number, why: string): Promise<void> {
    const live = sessionId ? this.live.get(sessionId) : undefined;
    if (live) await this.abort(live, 'relay-refused', `party ${party}: ${why}`);
  }

  private async abort(live: LiveSession, code: AbortCode, message: string): Promise<void> {
    if (live.finished) return;
    live.finished = true;
    clearTimeout(live.timer);
    this.logger.warn({ sessionId: live.id, code }, `session aborted: ${message}`);
    for (const p of PARTIES)
      this.connections.send(p, ToNode.sessionAborted, { sessionId: live.id, code, message });
    if (live.jiff) this.jiff.remove(live.id);
    const last = await this.transcript.append(live.id, 'session.aborted', {
      code,
      message,
      by: 'coordinator',
      dataPhaseStarted: live.opened,
    });
    await this.finishAborted(live.id, code, message, live.opened, live.requestId, last.hash);
    this.forget(live);
  }

  /** Marks a session aborted; refunds its charge only if nothing was ever opened. */
  private async finishAborted(
    id: string,
    code: string,
    message: string,
    opened: boolean,
    requestId: string | undefined,
    head?: string,
  ): Promise<void> {
    await this.sessions.manager.transaction(async (m) => {
      if (
        await this.sessions.transition(
          id,
          'aborted',
          {
            errorCode: code,
            errorMessage: message,
            completedAt: new Date(),
            transcriptHead: head ?? null,
          },
          m,
        )
      ) {
        if (!opened && requestId) await this.ledger.refund(m, { sessionId: id });
      }
    });
  }

  private forget(live: LiveSession): void {
    this.live.delete(live.id);
    if (live.jiff) this.jiff.remove(live.id);
    void this.transcript.release(live.id);
  }

  /**
   * JIFF mode, once all three noise commitments are recorded: the data phase starts. The start is
   * made durable first (from here on the session counts as opened and is never refunded: the JIFF
   * endpoint relays open messages as they come and cannot wait for a record of each), then the
   * computation is registered — so no JIFF message of this session can exist before the
   * commitments. Credentials are the parties' identity-key signatures over (session, party).
   */
  private async startJiff(live: LiveSession): Promise<boolean> {
    const prime = jiffPrimeFor(fieldById(live.plan.field).modulus).toString();
    live.jiff = { prime, relay: new Map(), messages: 0, recorded: false };
    live.opened = true;
    const expiresAt = Date.now() + this.config.SESSION_TIMEOUT_MS;
    await this.transcript.append(live.id, 'jiff.started', {
      computationId: live.id,
      prime,
      partyCount: PARTIES.length,
      path: JIFF_SOCKET_PATH,
    });
    await this.transcript.flushed(live.id);
    if (live.finished) return false;
    try {
      this.jiff.register(live.id, expiresAt, (partyId, credential) => {
        const agency = this.agencies.byParty(partyId);
        return !!agency && verifyJiffCredential(agency.identityKey, live.id, partyId, credential);
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      await this.abort(
        live,
        'internal-error',
        `the JIFF computation could not be registered: ${why}`,
      );
      return false;
    }
    this.logger.info({ sessionId: live.id }, 'JIFF computation registered');
    return true;
  }

  /** A message the JIFF endpoint relayed: counted (by digest) for its session's transcript. */
  private onJiffRelay(relay: JiffRelay): void {
    const live = this.live.get(relay.computationId);
    const jiff = live?.jiff;
    if (!live || !jiff || live.finished || jiff.recorded) return;
    const direction = `${relay.from}>${relay.to}`;
    let digests = jiff.relay.get(direction);
    if (!digests) {
      digests = new Set();
      jiff.relay.set(direction, digests);
    }
    if (digests.has(relay.digest)) return; // a retransmission
    digests.add(relay.digest);
    if (++jiff.messages > MAX_JIFF_RELAYS) {
      void this.abort(live, 'relay-refused', `party ${relay.from} sent too many JIFF messages`);
    }
  }

  /**
   * Once all three results are in, every message a party sent has reached its receiver: one entry
   * per direction records the count and set digest of what was relayed, which the parties check
   * against what they sent and received before sealing.
   */
  private async recordJiffRelay(live: LiveSession, jiff: LiveJiffSession): Promise<void> {
    jiff.recorded = true;
    for (const from of PARTIES) {
      for (const to of PARTIES) {
        if (from === to) continue;
        const { messages, digest } = relaySetDigest(jiff.relay.get(`${from}>${to}`) ?? []);
        await this.transcript.append(live.id, 'jiff.relay', { from, to, messages, digest });
      }
    }
  }

  private liveFor(sessionId: string): LiveSession {
    const live = this.live.get(sessionId);
    if (!live || live.finished) throw new RelayRefusal(`session ${sessionId} is not running`);
    return live;
  }

  private isMulRound(round: string, levels: number): boolean {
    const m = /^mul-(\d{1,3})$/.exec(round);
    return !!m && Number(m[1]) >= 1 && Number(m[1]) <= levels;
  }
}
