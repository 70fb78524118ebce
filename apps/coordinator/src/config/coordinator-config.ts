import { hostname } from 'node:os';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { ConfigurationError, issueOf, Must } from '#concord/errors';
import { withSecretFiles } from './secret-files.js';
import { transportSecurityProblem } from './transport-security.js';

/**
 * The coordinator's whole configuration, read from the environment in one place and validated
 * at boot: an invalid variable stops the process with one line naming it and what it must be
 * (`@Must`, next to each variable's rules).
 */
export class CoordinatorConfig {
  /** PostgreSQL URL; without it the coordinator runs embedded PGlite in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//)
  @Must('a postgres:// or postgresql:// URL', 'scheme')
  DATABASE_URL?: string;

  /**
   * Connections the pool keeps to DATABASE_URL (ignored for the embedded database, which always
   * gets one). 1 for a server that takes one client at a time, such as PGlite's socket server.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Must('an integer of at least 1')
  DATABASE_POOL_SIZE: number = 10;

  @IsString()
  @Must('a directory path')
  DATA_DIR: string = '.data/coordinator';

  /** `memory` keeps the embedded database in memory (tests); `disk` keeps it in DATA_DIR. */
  @IsIn(['disk', 'memory'])
  @Must('disk or memory')
  EMBEDDED_DB: 'disk' | 'memory' = 'disk';

  @IsString()
  @Must('the path of the consortium file')
  CONSORTIUM_FILE: string;

  @IsString()
  @Must('the protocol catalogue directory')
  PROTOCOLS_DIR: string = 'protocols';

  /** Public reference data (GTFS routes, stops, fare products, zones) that grids are built from. */
  @IsString()
  @Must('the public reference data directory')
  PUBLIC_DATA_DIR: string;

  /**
   * Listen address. Anything but loopback needs TLS (TLS_CERT_FILE and TLS_KEY_FILE) or
   * TLS_TERMINATED_BY_PROXY=true: bearer tokens must not cross a network in clear.
   */
  @IsString()
  @Must('an address to listen on')
  HOST: string = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  @Must('an integer between 0 and 65535')
  PORT: number = 3000;

  /** PEM certificate chain; with TLS_KEY_FILE the API and the node socket are served over TLS. */
  @IsOptional()
  @IsString()
  @Must('the path of a PEM certificate chain')
  TLS_CERT_FILE?: string;

  /** PEM private key of TLS_CERT_FILE (read once at start, never logged). */
  @IsOptional()
  @IsString()
  @Must('the path of a PEM private key')
  TLS_KEY_FILE?: string;

  /**
   * `true`: a reverse proxy in front terminates TLS, so plain HTTP on a non-loopback HOST is
   * allowed, and client addresses (rate limits, logs) are taken from X-Forwarded-For as set by
   * TRUSTED_PROXIES.
   */
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  @Must('true or false')
  TLS_TERMINATED_BY_PROXY: boolean = false;

  /** With TLS_TERMINATED_BY_PROXY: the proxies whose X-Forwarded-For is believed (Express syntax). */
  @Matches(/^[\w.:/, -]{1,500}$/)
  @Must('an Express trust-proxy list such as "loopback, uniquelocal" or "10.0.0.0/8"')
  TRUSTED_PROXIES: string = 'loopback, uniquelocal';

  @IsString()
  @Must('a name')
  COORDINATOR_NAME: string = 'concord-coordinator';

  /** A session that has not completed this long after creation is aborted. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Must('an integer of at least 1000 (milliseconds)')
  SESSION_TIMEOUT_MS: number = 300_000;

  /**
   * How long a session waits for a party whose connection was lost (or that stopped answering)
   * to come back before it aborts. A node process that is alive resumes within it; one that died
   * lost its session secrets, so waiting longer cannot help.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Must('an integer of at least 100 (milliseconds)')
  NODE_LEASE_MS: number = 15_000;

  /** Interval of the coordinator's application-level heartbeat to every agency node. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Must('an integer of at least 50 (milliseconds)')
  HEARTBEAT_INTERVAL_MS: number = 1_000;

  /** A node that has not answered a heartbeat for this long is dropped (and its lease starts). */
  @Type(() => Number)
  @IsInt()
  @Min(200)
  @Must('an integer of at least 200 (milliseconds)')
  NODE_STALL_MS: number = 5_000;

  /** After a party reports an abort, how long the others' reports are awaited before it ends. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Must('an integer of at least 0 (milliseconds)')
  ABORT_REPORT_GRACE_MS: number = 1_000;

  /**
   * On SIGTERM: how long running sessions may take to finish before the process exits anyway;
   * unfinished ones are already durable and resume at the next start.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Must('an integer of at least 0 (milliseconds)')
  DRAIN_TIMEOUT_MS: number = 10_000;

  /**
   * Sessions that may run at once across every replica sharing the database; later requests wait
   * in a fair queue (round-robin across analysts, first come first served within one). On a
   * 2-core machine a handful keeps the cores busy without stretching every session (see
   * docs/operations.md, "Load and SLOs").
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Must('an integer of at least 1')
  MAX_RUNNING_SESSIONS: number = 8;

  /** Requests that may wait in the queue; beyond it POST /reports answers 503 (nothing charged). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Must('an integer of at least 0')
  MAX_QUEUED_SESSIONS: number = 1_000;

  /**
   * How long a replica's claim on a session lasts without a heartbeat (renewed every fifth of
   * it): another replica takes over a session whose owner stopped renewing.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Must('an integer of at least 1000 (milliseconds)')
  SESSION_LEASE_MS: number = 10_000;

  /**
   * This process's name as a session owner. Default: host name and port, so a restarted process
   * resumes its own sessions at once instead of waiting for their leases to lapse.
   */
  @IsOptional()
  @Matches(/^[\w.:@-]{1,128}$/)
  @Must('1 to 128 letters, digits, or . : @ _ -')
  REPLICA_ID?: string;

  /**
   * Redis (`redis://` or `rediss://`) shared by several coordinator replicas: socket.io messages
   * and node presence cross replicas through it, and rate limits are counted in it. Unset: one
   * replica, nothing shared. Readiness then includes a Redis ping.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/)
  @Must('a redis:// or rediss:// URL', 'scheme')
  REDIS_URL?: string;

  /**
   * Prefix of Concord's Redis channels and keys: replicas of one deployment share it, and two
   * deployments on one Redis need different ones (Redis channels are not scoped by database).
   */
  @Matches(/^[\w:.-]{1,64}$/)
  @Must('1 to 64 letters, digits, or . : _ -')
  REDIS_KEY_PREFIX: string = 'concord';

  /** Total zCDP ρ one (dataset scope, privacy-unit window) bucket may ever spend. */
  @Matches(/^\d+(\/\d+)?$/)
  @Must('a non-negative rational such as 4 or 1/2')
  LEDGER_CAP_RHO: string = '4';

  /**
   * Optional per-analyst zCDP ρ quota per bucket, carved out of LEDGER_CAP_RHO (at most the cap):
   * one analyst may spend at most this much of a bucket. Unset: no per-analyst limit.
   */
  @IsOptional()
  @Matches(/^\d+(\/\d+)?$/)
  @Must('a non-negative rational such as 1 or 1/4')
  LEDGER_ANALYST_QUOTA_RHO?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  @Must('one of fatal, error, warn, info, debug, trace, silent')
  LOG_LEVEL: string = 'info';

  /** A bootstrap admin bearer token (at least 32 characters); issue real tokens with it. */
  @IsOptional()
  @Matches(/^\S{32,200}$/)
  @Must('32 to 200 characters without spaces', 'length')
  ADMIN_TOKEN?: string;

  /** Requests per minute one token (or address) may make; report creation allows a tenth. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Must('an integer of at least 1')
  RATE_LIMIT_PER_MINUTE: number = 600;

  /**
   * Failed authentications (HTTP requests without a valid token, refused node logins) one client
   * address may make per minute; past that it is refused for a minute before any token lookup.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Must('an integer of at least 1')
  AUTH_FAILURES_PER_MINUTE: number = 30;
}

export function loadCoordinatorConfig(env: NodeJS.ProcessEnv = process.env): CoordinatorConfig {
  const known = Object.keys(new CoordinatorConfig()).concat([
    'DATABASE_URL',
    'CONSORTIUM_FILE',
    'PUBLIC_DATA_DIR',
    'LEDGER_ANALYST_QUOTA_RHO',
    'ADMIN_TOKEN',
    'REPLICA_ID',
    'REDIS_URL',
    'TLS_CERT_FILE',
    'TLS_KEY_FILE',
  ]);
  const picked = Object.fromEntries(
    Object.entries(withSecretFiles(env)).filter(
      ([k, v]) => known.includes(k) && v !== undefined && v !== '',
    ),
  );
  const config = plainToInstance(CoordinatorConfig, picked);
  const errors = validateSync(config, { whitelist: true });
  const [first, ...more] = errors.map((e) => issueOf(config, e.property, picked[e.property]));
  if (first) throw new ConfigurationError(first, ...more);
  const insecure = transportSecurityProblem(config);
  if (insecure) throw new ConfigurationError(insecure);
  config.REPLICA_ID ??= `${hostname()}:${config.PORT}`;
  return config;
}
