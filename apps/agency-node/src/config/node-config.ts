import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
  type ValidationError,
  validateSync,
} from 'class-validator';
import { readFileSync } from 'node:fs';
import { ConfigurationError, type ConfigurationIssue, issueOf, Must } from '#concord/errors';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  type IdentityKeyConfig,
  parseIdentityKeyConfig,
  parsePkcs11KeyLocation,
  type Pkcs11KeyLocation,
} from '#concord/keystore';
import { NODE_ENGINES, type NodeEngine } from '#concord/wire';

export class NodeLedgerConfig {
  /** Total zCDP ρ this agency lets any (scope, window) bucket spend; its veto. */
  @Matches(/^\d+(\/\d+)?$/)
  @Must('a non-negative rational such as 4 or 1/2')
  capRho: string = '4';

  @IsString()
  @Must('a path')
  file: string = 'ledger.json';
}

export class NoisePrefillConfig {
  /** A discrete Gaussian pool: the per-party share variance, an exact rational. */
  @IsOptional()
  @Matches(/^\d{1,30}(\/\d{1,30})?$/)
  @Must('a non-negative rational of at most 30 digits over 30 digits')
  shareSigma2?: string;

  /** A Pólya pool: gamma = 1/b, an exact rational. */
  @IsOptional()
  @Matches(/^\d{1,30}(\/\d{1,30})?$/)
  @Must('a non-negative rational of at most 30 digits over 30 digits')
  gamma?: string;

  @IsInt()
  @Min(1)
  @Max(10_000_000)
  @Must('an integer between 1 and 10000000')
  count: number;
}

export class NodeNoiseConfig {
  /** Pools filled before the node connects, so sessions of those parameters never wait. */
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => NoisePrefillConfig)
  @Must('a list of at most 64 noise pools')
  prefill: NoisePrefillConfig[] = [];
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/**
 * Where the node's key-encryption key (KEK) comes from: exactly one source. Files are relative to
 * the configuration file, and must be readable by their owner only (0600).
 *
 * Extension point: another KEK source (a cloud KMS) is one more optional field here, listed in
 * `KEK_SOURCES`, and one more case in `kekRingFor` (apps/agency-node/src/node/at-rest-keys.ts),
 * as `pkcs11` (an HSM-held KEK from `libs/keystore`) is.
 */
export class AtRestKekConfig {
  /** A file holding a 32-byte key as 64 hex digits or base64 (`concord at-rest generate-key`). */
  @IsOptional()
  @IsString()
  @Must('the path of a key file')
  keyFile?: string;

  /** An environment variable holding a 32-byte key as hex or base64. */
  @IsOptional()
  @Matches(ENV_NAME)
  @Must('an environment variable name (capitals, digits, underscores)')
  keyEnv?: string;

  /** An environment variable holding a passphrase (at least 12 characters; scrypt). */
  @IsOptional()
  @Matches(ENV_NAME)
  @Must('an environment variable name (capitals, digits, underscores)')
  passphraseEnv?: string;

  /** A file holding a passphrase (one line; scrypt). */
  @IsOptional()
  @IsString()
  @Must('the path of a passphrase file')
  passphraseFile?: string;

  /**
   * An AES-256 key in a PKCS#11 token (`concord keys generate-kek`): `{ module?, tokenLabel,
   * keyLabel, pinEnv | pinFile }`. It wraps and unwraps data keys inside the token.
   */
  @IsOptional()
  @IsObject()
  @Must('an object with tokenLabel, keyLabel, pinEnv or pinFile, and optionally module')
  pkcs11?: Record<string, unknown>;

  /** `pkcs11`, checked and with its paths resolved (set by `loadNodeConfig`). */
  declare pkcs11Location?: Pkcs11KeyLocation;
}

/** The KEK sources a node configuration may name, one per `atRest.kek`. */
export const KEK_SOURCES = [
  'keyFile',
  'keyEnv',
  'passphraseEnv',
  'passphraseFile',
  'pkcs11',
] as const;
export type KekSource = (typeof KEK_SOURCES)[number];

/**
 * Encryption at rest of every file the node writes (docs/security.md, 'Encryption at rest'):
 * `{ "kek": { … one source … } }`, or `{ "plaintext": "demo-only" }` to keep them in clear
 * (refused unless said so explicitly).
 */
export class NodeAtRestConfig {
  @IsOptional()
  @ValidateNested()
  @Type(() => AtRestKekConfig)
  @Must('an object naming one KEK source: keyFile, keyEnv, passphraseEnv or passphraseFile')
  kek?: AtRestKekConfig;

  @IsOptional()
  @IsIn(['demo-only'])
  @Must('"demo-only" (files in clear: for a demonstration, never for real data)')
  plaintext?: 'demo-only';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** An agency node's configuration file (JSON). Paths are relative to the file's directory. */
export class NodeConfig {
  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  @Must('an agency id: a lowercase letter, then 1 to 62 lowercase letters, digits or dashes')
  agencyId: string;

  /**
   * Legacy form of `identityKey: { store: 'plain-file', file }`: the DEMO-ONLY plaintext key file.
   * Give this or `identityKey`, not both.
   */
  @IsOptional()
  @IsString()
  @Must('the path of the agency identity key file')
  identityKeyFile?: string;

  /**
   * Where the identity key lives: `{ store: 'encrypted-file', file, passphraseEnv | passphraseFile }`,
   * `{ store: 'pkcs11', module?, tokenLabel, keyLabel, pinEnv | pinFile }` or
   * `{ store: 'plain-file', file }` (DEMO-ONLY). Checked by `parseIdentityKeyConfig`.
   */
  @IsOptional()
  @IsObject()
  @Must('an object with "store" set to one of plain-file, encrypted-file, pkcs11')
  identityKey?: Record<string, unknown>;

  /** The store the node opens its signer from: `identityKey`, or `identityKeyFile` as plain-file. */
  declare identityKeyStore: IdentityKeyConfig;

  @IsString()
  @Must('the path of the consortium file')
  consortiumFile: string;

  /** `https://…`; plain `http://` only to a loopback host unless `allowInsecureHttp`. */
  @Matches(/^https?:\/\/[^\s]+$/)
  @Must('an http:// or https:// URL', 'scheme')
  coordinatorUrl: string;

  /**
   * PEM file of the CA that issued the coordinator's certificate, when not a public CA
   * (`--ca-file` overrides it). It replaces the public roots for the coordinator connection.
   */
  @IsOptional()
  @IsString()
  caFile?: string;

  /** Allows plain `http://` to a coordinator that is not on loopback (`--allow-insecure-http`). */
  @IsOptional()
  @IsBoolean()
  allowInsecureHttp?: boolean;

  @IsString()
  @Must('the protocol catalogue directory')
  protocolsDir: string;

  /** Canonical hashes of the protocol versions this agency consents to run. */
  @IsArray()
  @ArrayMaxSize(256)
  @Matches(/^[0-9a-f]{64}$/, { each: true })
  @Must('a list of at most 256 protocol hashes of 64 hex digits')
  approvedProtocols: string[];

  /**
   * Per connector, its named files: e.g. `{ "fare-revenue-by-route-hour": { "fareTransactions": "..." } }`;
   * or, with `"source": "postgresql"`, its database settings (`url` or `urlEnv`, `table` and
   * `columns.*`, or `query`), which are not paths.
   */
  @IsObject()
  @Must('an object of settings per connector', 'omitted')
  data: Record<string, Record<string, string>>;

  @IsOptional()
  @ValidateNested()
  @Type(() => NodeLedgerConfig)
  @Must('an object with capRho and file')
  ledger?: NodeLedgerConfig;

  /** Required: how the files the node writes are sealed, or `{ "plaintext": "demo-only" }`. */
  @IsOptional()
  @ValidateNested()
  @Type(() => NodeAtRestConfig)
  @Must('an object with kek or plaintext')
  atRest?: NodeAtRestConfig;

  @IsOptional()
  @ValidateNested()
  @Type(() => NodeNoiseConfig)
  @Must('an object with a prefill list')
  noise?: NodeNoiseConfig;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  @Must('one of fatal, error, warn, info, debug, trace, silent')
  logLevel?: string;

  /**
   * How this node runs sessions' data rounds: `native` (default, Concord's engine) or `jiff`
   * (the stock JIFF client against the coordinator's JIFF endpoint). `concord node --engine`
   * overrides it. A session runs only when all three nodes use the same engine.
   */
  @IsOptional()
  @IsIn(NODE_ENGINES)
  @Must('native or jiff')
  engine?: NodeEngine;

  /**
   * Worker threads for the private join's group operations (hash to curve, blinding); default one
   * per core. Fewer leave cores to other work on a shared machine; `concord node --join-workers`
   * overrides it.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(256)
  @Must('an integer from 1 to 256')
  joinWorkers?: number;

  /**
   * Sent envelope bytes a session may hold unacknowledged before it seals no more (default
   * 16 MiB, four full chunks). Lower bounds a node's memory for large rounds more tightly; each
   * chunk then waits for an acknowledgement sooner.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  @Must('an integer number of bytes from 1 to 1073741824')
  sendWindowBytes?: number;
}

export function loadNodeConfig(path: string): NodeConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigurationError({
      setting: '--config',
      requirement: 'a readable JSON node configuration file',
      shown: `${path}: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigurationError({
      setting: '--config',
      requirement: 'a JSON object',
      shown: path,
    });
  const config = plainToInstance(NodeConfig, json);
  const [first, ...more] = validateSync(config, {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).flatMap((e) => issuesOf(e, path));
  if (first) throw new ConfigurationError(first, ...more);
  const base = dirname(resolve(path));
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  if ((config.identityKey === undefined) === (config.identityKeyFile === undefined))
    throw new ConfigurationError({
      setting: `identityKey in ${path}`,
      requirement: 'given, or else the legacy identityKeyFile (exactly one of the two)',
    });
  if (config.identityKeyFile !== undefined) config.identityKeyFile = at(config.identityKeyFile);
  config.identityKeyStore =
    config.identityKeyFile !== undefined
      ? { store: 'plain-file', file: config.identityKeyFile }
      : parseIdentityKeyConfig(config.identityKey, 'identityKey', base, path);
  config.consortiumFile = at(config.consortiumFile);
  config.protocolsDir = at(config.protocolsDir);
  if (config.caFile !== undefined) config.caFile = at(config.caFile);
  for (const files of Object.values(config.data)) {
    for (const [name, p] of Object.entries(files)) {
      if (typeof p !== 'string')
        throw new ConfigurationError({
          setting: `data.*.${name} in ${path}`,
          requirement: 'a path',
        });
      // A database source's settings (URL, table, query, columns) are not paths.
      if (name !== 'source' && name !== 'seed' && files.source !== 'postgresql')
        files[name] = at(p);
    }
  }
  config.ledger ??= new NodeLedgerConfig();
  config.ledger.file = at(config.ledger.file);
  requireAtRest(config.atRest, path);
  const kek = config.atRest?.kek;
  if (kek?.keyFile !== undefined) kek.keyFile = at(kek.keyFile);
  if (kek?.passphraseFile !== undefined) kek.passphraseFile = at(kek.passphraseFile);
  if (kek?.pkcs11 !== undefined)
    kek.pkcs11Location = parsePkcs11KeyLocation(kek.pkcs11, 'atRest.kek.pkcs11', base, path);
  return config;
}

/**
 * Refuses a configuration that does not say how the node's files are kept at rest: exactly one
 * KEK source, or plaintext said explicitly. No default: a node never writes in clear by omission.
 */
export function requireAtRest(atRest: NodeAtRestConfig | undefined, file: string): void {
  const requirement =
    'an atRest section: { "kek": { "keyFile": "<key file>" } } (or keyEnv, passphraseEnv, passphraseFile), or { "plaintext": "demo-only" } for a demonstration';
  if (!atRest || (atRest.kek === undefined) === (atRest.plaintext === undefined))
    throw new ConfigurationError({ setting: `atRest in ${file}`, requirement });
  if (atRest.kek) {
    const named = KEK_SOURCES.filter((k) => atRest.kek![k] !== undefined);
    if (named.length !== 1)
      throw new ConfigurationError({
        setting: `atRest.kek in ${file}`,
        requirement: `exactly one KEK source of ${KEK_SOURCES.join(', ')}`,
        shown: named.length ? named.join(' and ') : 'none',
      });
  }
}

/** One issue per refused field, nested ones named by their dotted path (`ledger.capRho`). */
function issuesOf(error: ValidationError, file: string, parent = ''): ConfigurationIssue[] {
  const field = `${parent}${error.property}`;
  if (error.children?.length)
    return error.children.flatMap((child) => issuesOf(child, file, `${field}.`));
  const setting = `${field} in ${file}`;
  if (error.constraints?.whitelistValidation)
    return [{ setting, requirement: 'absent: it is not a node configuration field' }];
  return [issueOf(error.target ?? {}, error.property, error.value, setting)];
}
