import type { RandomSource } from '#concord/crypto';
import type { JiffAction, JiffInbound, JiffRelay, JiffResult } from './actions.js';
import { asJiffError, errorAction, errorLabel } from './error-action.js';
import { handleCryptoProvider } from './handle-crypto-provider.js';
import { handleFree } from './handle-free.js';
import { handleInitialization } from './handle-initialization.js';
import { handleRelay } from './handle-relay.js';
import { handleDelivered, handleDisconnect } from './handle-transport.js';
import { JiffServerError } from './jiff-error.js';
import { type JiffLimits, resolveLimits } from './limits.js';
import {
  type ComputationRegistration,
  registerComputation,
  removeComputation,
  sweep,
} from './registry.js';
import { createServerState, type JiffContext } from './state.js';
import { type ComputationSummary, summarise } from './summary.js';

export interface JiffServerCoreOptions {
  /** Randomness for the dealer and the `s1` key (production: `systemRandom`). */
  readonly random: RandomSource;
  /** Epoch milliseconds; used for activity stamps and registration checks. */
  readonly now: () => number;
  readonly limits?: Partial<JiffLimits>;
}

/**
 * The JIFF-compatible server as a state machine: the host feeds what its transport observed
 * (`handle`) and performs the returned actions in order. No I/O, no timers, no framework; no
 * input can make it throw (host calls such as `registerComputation` throw `JiffServerError`).
 */
export class JiffServerCore {
  readonly limits: JiffLimits;
  private readonly ctx: JiffContext;

  constructor(options: JiffServerCoreOptions) {
    this.limits = resolveLimits(options.limits);
    this.ctx = {
      state: createServerState(),
      random: options.random,
      now: options.now,
      limits: this.limits,
    };
  }

  /** Opens a computation to JIFF clients; throws `JiffServerError` if the registration is refused. */
  registerComputation(registration: ComputationRegistration): void {
    registerComputation(this.ctx, registration);
  }

  /** Ends a computation early (e.g. its session was cancelled); its clients are disconnected. */
  removeComputation(computationId: string): JiffAction[] {
    const reason = new JiffServerError('unknown-computation', 'the computation was withdrawn');
    return removeComputation(this.ctx, computationId, reason);
  }

  /** Drops expired and idle computations; the host calls it periodically with its clock. */
  sweep(now: number): JiffAction[] {
    return sweep(this.ctx, now);
  }

  handle(input: JiffInbound): JiffResult {
    try {
      switch (input.kind) {
        case 'delivered':
          handleDelivered(this.ctx, input.ref);
          return { actions: [], accepted: true };
        case 'disconnect':
          handleDisconnect(this.ctx, input.socketId);
          return { actions: [], accepted: true };
        case 'message': {
          const { actions, relay } = this.dispatch(input.socketId, input.event, input.args);
          return relay === undefined
            ? { actions, accepted: true }
            : { actions, accepted: true, relay };
        }
      }
    } catch (thrown) {
      const error = asJiffError(thrown);
      if (input.kind !== 'message') return { actions: [], accepted: false, refusal: error.code };
      const actions = this.refuse(input.socketId, input.event, error);
      return { actions, accepted: false, refusal: error.code };
    }
  }

  /** Operational view without secrets (no keys, credentials, shares or payloads). */
  describeComputation(computationId: string): ComputationSummary | undefined {
    const computation = this.ctx.state.computations.get(computationId);
    return computation === undefined ? undefined : summarise(computation);
  }

  computationIds(): string[] {
    return [...this.ctx.state.computations.keys()];
  }

  private dispatch(
    socketId: string,
    event: string,
    args: readonly unknown[],
  ): { actions: JiffAction[]; relay?: JiffRelay } {
    switch (event) {
      case 'initialization':
        return { actions: handleInitialization(this.ctx, socketId, args) };
      case 'share':
      case 'open':
      case 'custom':
        return handleRelay(this.ctx, socketId, event, args);
      case 'crypto_provider':
        return { actions: handleCryptoProvider(this.ctx, socketId, args) };
      case 'free':
        handleFree(this.ctx, socketId, args);
        return { actions: [] };
      default:
        throw new JiffServerError('unknown-event', 'not a JIFF client event');
    }
  }

  /** The typed error for the client; past `maxErrorsPerSocket` errors the socket is closed. */
  private refuse(socketId: string, event: string, error: JiffServerError): JiffAction[] {
    const errors = (this.ctx.state.socketErrors.get(socketId) ?? 0) + 1;
    this.ctx.state.socketErrors.set(socketId, errors);
    const actions = [errorAction(socketId, errorLabel(event), error)];
    if (errors > this.limits.maxErrorsPerSocket) {
      const reason = new JiffServerError(
        'too-many-errors',
        'too many invalid events; disconnecting',
      );
      actions.push(errorAction(socketId, errorLabel(event), reason));
      actions.push({ kind: 'disconnect', socketId, reason: reason.code });
    }
    return actions;
  }
}
