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
import { withSecretFiles } from './secret-files.js';
import { transportSecurityProblem } from './transport-security.js';

/**
 * The coordinator's whole configuration, read from the environment in one place and validated
 * at boot (an invalid variable stops the process with a message naming it).
 */
export class CoordinatorConfig {
  /** PostgreSQL URL; without it the coordinator runs embedded PGlite in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//)
  DATABASE_URL?: string;

  /**
   * Connections the pool keeps to DATABASE_URL (ignored for the embedded database, which always
   * gets one). 1 for a server that takes one client at a time, such as PGlite's socket server.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DATABASE_POOL_SIZE: number = 10;

  @IsString()
  DATA_DIR: string = '.data/coordinator';

  /** `memory` keeps the embedded database in memory (tests); `disk` keeps it in DATA_DIR. */
  @IsIn(['disk', 'memory'])
  EMBEDDED_DB: 'disk' | 'memory' = 'disk';

  @IsString()
  CONSORTIUM_FILE: string;

  @IsString()
  PROTOCOLS_DIR: string = 'protocols';

  /** Public reference data (GTFS routes, stops, fare products, zones) that grids are built from. */
  @IsString()
  PUBLIC_DATA_DIR: string;

  /**
   * Listen address. Anything but loopback needs TLS (TLS_CERT_FILE and TLS_KEY_FILE) or
   * TLS_TERMINATED_BY_PROXY=true: bearer tokens must not cross a network in clear.
   */
  @IsString()
  HOST: string = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** PEM certificate chain; with TLS_KEY_FILE the API and the node socket are served over TLS. */
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  /** PEM private key of TLS_CERT_FILE (read once at start, never logged). */
  @IsOptional()
  @IsString()
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
  TLS_TERMINATED_BY_PROXY: boolean = false;

  /** With TLS_TERMINATED_BY_PROXY: the proxies whose X-Forwarded-For is believed (Express syntax). */
  @Matches(/^[\w.:/, -]{1,500}$/)
  TRUSTED_PROXIES: string = 'loopback, uniquelocal';

  @IsString()
  COORDINATOR_NAME: string = 'concord-coordinator';

  /** A session that has not completed this long after creation is aborted. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SESSION_TIMEOUT_MS: number = 300_000;

  /**
   * How long a session waits for a party whose connection was lost (or that stopped answering)
   * to come back before it aborts. A node process that is alive resumes within it; one that died
   * lost its session secrets, so waiting longer cannot help.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  NODE_LEASE_MS: number = 15_000;

  /** Interval of the coordinator's application-level heartbeat to every agency node. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  HEARTBEAT_INTERVAL_MS: number = 1_000;

  /** A node that has not answered a heartbeat for this long is dropped (and its lease starts). */
  @Type(() => Number)
  @IsInt()
  @Min(200)
  NODE_STALL_MS: number = 5_000;

  /** After a party reports an abort, how long the others' reports are awaited before it ends. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ABORT_REPORT_GRACE_MS: number = 1_000;

  /**
   * On SIGTERM: how long running sessions may take to finish before the process exits anyway;
   * unfinished ones are already durable and resume at the next start.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  DRAIN_TIMEOUT_MS: number = 10_000;

  /** Total zCDP ρ one (dataset scope, privacy-unit window) bucket may ever spend. */
  @Matches(/^\d+(\/\d+)?$/)
  LEDGER_CAP_RHO: string = '4';

  /**
   * Optional per-analyst zCDP ρ quota per bucket, carved out of LEDGER_CAP_RHO (at most the cap):
   * one analyst may spend at most this much of a bucket. Unset: no per-analyst limit.
   */
  @IsOptional()
  @Matches(/^\d+(\/\d+)?$/)
  LEDGER_ANALYST_QUOTA_RHO?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** A bootstrap admin bearer token (at least 32 characters); issue real tokens with it. */
  @IsOptional()
  @Matches(/^\S{32,200}$/)
  ADMIN_TOKEN?: string;

  /** Requests per minute one token (or address) may make; report creation allows a tenth. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 600;
}

export function loadCoordinatorConfig(env: NodeJS.ProcessEnv = process.env): CoordinatorConfig {
  const known = Object.keys(new CoordinatorConfig()).concat([
    'DATABASE_URL',
    'CONSORTIUM_FILE',
    'PUBLIC_DATA_DIR',
    'LEDGER_ANALYST_QUOTA_RHO',
    'ADMIN_TOKEN',
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
  if (errors.length > 0) {
    const names = errors.map(
      (e) => `${e.property} (${Object.keys(e.constraints ?? {}).join(', ')})`,
    );
    throw new Error(`invalid coordinator configuration: ${names.join('; ')}`);
  }
  const insecure = transportSecurityProblem(config);
  if (insecure) throw new Error(`invalid coordinator configuration: ${insecure}`);
  return config;
}
