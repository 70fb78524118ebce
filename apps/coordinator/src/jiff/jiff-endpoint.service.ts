import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { systemRandom } from '#concord/crypto';
import { type CredentialVerifier, type JiffRelay, JiffServerCore } from '#concord/jiff-server';
import { ROOT_LOGGER } from '../config/config.module.js';
import { FrameRefusals } from '../inbound/frame-refusals.js';
import {
  attachJiffServer,
  type JiffAdapterEvent,
  type JiffSocketBinding,
} from './jiff-socket.adapter.js';

type RelayListener = (relay: JiffRelay) => void;

/**
 * What a JIFF connection may send before its `initialization` is accepted: that one message
 * (well under 1 KiB) and a few retries, within a minute of connecting.
 */
const PRE_INITIALIZATION = {
  maxFrameBytes: 8 * 1024,
  maxFrames: 16,
  maxPending: 256,
  maxPendingPerAddress: 64,
  deadlineMs: 60_000,
} as const;

/**
 * The coordinator's JIFF-compatible endpoint: one `JiffServerCore` for the process, bound by the
 * JIFF gateway to its own socket.io server. Sessions in JIFF mode register their computation here
 * (roster of three, credentials checked against the pinned identity keys) and learn, through
 * `onRelay`, what the endpoint relayed for them (digests only), to record it in their transcript.
 */
@Injectable()
export class JiffEndpoint {
  readonly core = new JiffServerCore({ random: systemRandom, now: Date.now });
  private binding: JiffSocketBinding | undefined;
  private readonly relayListeners: RelayListener[] = [];

  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly refusals: FrameRefusals,
  ) {}

  /** Binds the core to the endpoint's socket.io server (the gateway calls it once, at init). */
  attach(server: Server): void {
    this.binding?.detach();
    this.binding = attachJiffServer(server, this.core, {
      sweepIntervalMs: 60_000,
      onEvent: (event) => this.onEvent(event),
      preInitialization: PRE_INITIALIZATION,
    });
    this.logger.info('JIFF-compatible endpoint attached');
  }

  /** Stops listening and stops the sweep timer (sockets are closed with the server). */
  detach(): void {
    this.binding?.detach();
    this.binding = undefined;
  }

  /** Opens a computation to exactly three JIFF clients; throws `JiffServerError` if refused. */
  register(computationId: string, expiresAt: number, verifyCredential: CredentialVerifier): void {
    this.core.registerComputation({ computationId, partyCount: 3, expiresAt, verifyCredential });
  }

  isRegistered(computationId: string): boolean {
    return this.core.describeComputation(computationId) !== undefined;
  }

  /** Withdraws a computation (its session ended) and disconnects its clients. */
  remove(computationId: string): void {
    if (this.binding) this.binding.removeComputation(computationId);
    else this.core.removeComputation(computationId);
  }

  onRelay(listener: RelayListener): void {
    this.relayListeners.push(listener);
  }

  private onEvent(event: JiffAdapterEvent): void {
    switch (event.type) {
      case 'relayed':
        for (const l of this.relayListeners) l(event);
        return;
      case 'refused':
        // Counted and summarised (FrameRefusals), never one log line per refused frame.
        this.refusals.record('jiff', event.code, event.socketId, event.initialized);
        return;
      case 'expired':
        this.logger.info({ sockets: event.socketIds.length }, 'JIFF computations expired');
        return;
      case 'connected':
      case 'disconnected':
        this.logger.debug({ socketId: event.socketId }, `JIFF client ${event.type}`);
        return;
    }
  }
}
