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
  MaxLength,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { readFileSync } from 'node:fs';
import { ConcordError } from '#concord/errors';
import { dirname, isAbsolute, resolve } from 'node:path';
import { NODE_ENGINES, type NodeEngine } from '#concord/wire';

export class NodeLedgerConfig {
  /** Total zCDP ρ this agency lets any (scope, window) bucket spend; its veto. */
  @Matches(/^\d+(\/\d+)?$/)
  capRho: string = '4';

  @IsString()
  file: string = 'ledger.json';
}

export class NoisePrefillConfig {
  /** A discrete Gaussian pool: the per-party share variance, an exact rational. */
  @IsOptional()
  @Matches(/^\d{1,30}(\/\d{1,30})?$/)
  shareSigma2?: string;

  /** A Pólya pool: gamma = 1/b, an exact rational. */
  @IsOptional()
  @Matches(/^\d{1,30}(\/\d{1,30})?$/)
  gamma?: string;

  @IsInt()
  @Min(1)
  @Max(10_000_000)
  count: number;
}

export class NodeNoiseConfig {
  /** Pools filled before the node connects, so sessions of those parameters never wait. */
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => NoisePrefillConfig)
  prefill: NoisePrefillConfig[] = [];
}

/** An agency node's configuration file (JSON). Paths are relative to the file's directory. */
export class NodeConfig {
  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  agencyId: string;

  @IsString()
  identityKeyFile: string;

  @IsString()
  consortiumFile: string;

  /** `https://…`; plain `http://` only to a loopback host unless `allowInsecureHttp`. */
  @Matches(/^https?:\/\/[^\s]+$/)
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
  protocolsDir: string;

  /** Canonical hashes of the protocol versions this agency consents to run. */
  @IsArray()
  @ArrayMaxSize(256)
  @Matches(/^[0-9a-f]{64}$/, { each: true })
  approvedProtocols: string[];

  /**
   * Per connector, its named files: e.g. `{ "fare-revenue-by-route-hour": { "fareTransactions": "..." } }`;
   * or, with `"source": "postgresql"`, its database settings (`url` or `urlEnv`, `table` and
   * `columns.*`, or `query`), which are not paths.
   */
  @IsObject()
  data: Record<string, Record<string, string>>;

  @IsOptional()
  @ValidateNested()
  @Type(() => NodeLedgerConfig)
  ledger?: NodeLedgerConfig;

  @IsOptional()
  @ValidateNested()
  @Type(() => NodeNoiseConfig)
  noise?: NodeNoiseConfig;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  logLevel?: string;

  /**
   * How this node runs sessions' data rounds: `native` (default, Concord's engine) or `jiff`
   * (the stock JIFF client against the coordinator's JIFF endpoint). `concord node --engine`
   * overrides it. A session runs only when all three nodes use the same engine.
   */
  @IsOptional()
  @IsIn(NODE_ENGINES)
  engine?: NodeEngine;
}

export class NodeConfigError extends ConcordError<'invalid-node-config'> {
  readonly domain = 'agency-node';
  constructor(message: string) {
    super('invalid-node-config', message);
  }
}

export function loadNodeConfig(path: string): NodeConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new NodeConfigError(
      `cannot read node configuration ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const config = plainToInstance(NodeConfig, json);
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new NodeConfigError(
      `invalid node configuration ${path}: ${errors.map((e) => `${e.property} (${Object.keys(e.constraints ?? {}).join(', ') || 'nested'})`).join('; ')}`,
    );
  }
  const base = dirname(resolve(path));
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  config.identityKeyFile = at(config.identityKeyFile);
  config.consortiumFile = at(config.consortiumFile);
  config.protocolsDir = at(config.protocolsDir);
  if (config.caFile !== undefined) config.caFile = at(config.caFile);
  for (const files of Object.values(config.data)) {
    for (const [name, p] of Object.entries(files)) {
      if (typeof p !== 'string') throw new NodeConfigError(`data file ${name} must be a path`);
      // A database source's settings (URL, table, query, columns) are not paths.
      if (name !== 'source' && name !== 'seed' && files.source !== 'postgresql')
        files[name] = at(p);
    }
  }
  config.ledger ??= new NodeLedgerConfig();
  config.ledger.file = at(config.ledger.file);
  return config;
}
