/** The socket.io namespace agency nodes connect to, and every event name on it. */
export const NODE_NAMESPACE = '/agency-nodes';

/** Coordinator → node. */
export const ToNode = {
  authChallenge: 'auth.challenge',
  authResult: 'auth.result',
  sessionInvite: 'session.invite',
  sessionKeys: 'session.keys',
  sessionCommitments: 'session.commitments',
  sessionEnvelope: 'session.envelope',
  /** A receiver acknowledged one of this node's envelopes (`EnvelopeAckDto`). */
  sessionEnvelopeAck: 'session.envelope-ack',
  sessionSealRequest: 'session.seal-request',
  sessionAborted: 'session.aborted',
  sessionCompleted: 'session.completed',
  /** After any reconnection: resend what was not recorded or acknowledged (`SessionResumeDto`). */
  sessionResume: 'session.resume',
  /** Application-level liveness; answered with `FromNode.heartbeat` and the same `seq`. */
  heartbeat: 'heartbeat',
  /** A message was refused; `{ code, message }`. */
  error: 'coordinator.error',
} as const;

/** Node → coordinator. */
export const FromNode = {
  authResponse: 'auth.response',
  sessionAccept: 'session.accept',
  sessionDecline: 'session.decline',
  sessionCommit: 'session.commit',
  sessionEnvelope: 'session.envelope',
  sessionResult: 'session.result',
  sessionSeal: 'session.seal',
  sessionAbort: 'session.abort',
  /** This node received and processed an envelope (relayed to its sender). */
  sessionEnvelopeAck: 'session.envelope-ack',
  heartbeat: 'heartbeat',
  /** What data the node holds (`NodeCoverageDto`): after each login and whenever it changes. */
  coverage: 'node.coverage',
} as const;

/** Limits every endpoint enforces before parsing (bytes). */
export const WireLimits = {
  /** One relayed envelope: a 4 MiB chunk plus header and tag. */
  maxEnvelopeBytes: 4 * 1024 * 1024 + 4096,
  /** Any JSON message; plans and transcripts of the largest catalogue sessions fit well within. */
  maxJsonBytes: 32 * 1024 * 1024,
  /** socket.io's own buffer limit: the largest frame a node may send. */
  maxFrameBytes: 33 * 1024 * 1024,
  /**
   * The largest frame a socket may send before it logged in (a node's `auth.response` with
   * `MAX_AUTH_SESSION_IDS` ids in each list fits); larger ones are refused before decoding.
   */
  maxPreAuthFrameBytes: 16 * 1024,
  /** Frames a socket may send before it logged in (a node needs two: connect, auth.response). */
  maxPreAuthFrames: 8,
} as const;

/** Most session ids in each list of a node's `auth.response` (`held`, `unsettled`). */
export const MAX_AUTH_SESSION_IDS = 160;
