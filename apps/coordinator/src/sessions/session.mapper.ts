import type { ProtocolVersionEntity, ResultEntity, SessionEntity } from '#concord/persistence';
import type { SessionPlan } from '#concord/protocol';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { decimalValues, storedValues, type StoredValues } from './download/stored-values.js';
import type { ReleasedOutput, Session, StoredOutput } from './session.js';
import type { OutputRelease, SessionRowState } from '#concord/coordination';
import { fieldById, vectorFromBytes, vectorToBytes } from '#concord/field';

/** Explicit mappings between the persisted rows and the domain objects. */
export function sessionFromEntity(row: SessionEntity, protocol: ProtocolVersionEntity): Session {
  return {
    id: row.id,
    protocol: {
      id: protocol.protocolId,
      version: protocol.version,
      hash: protocol.hash,
      title: protocol.title,
    },
    state: row.state as SessionRowState,
    parameters: row.parameters as Record<string, string>,
    plan: row.plan as unknown as SessionPlan,
    planHash: row.planHash,
    budgetRho: row.budgetRho,
    requestId: row.requestId,
    requestedBy: row.requestedBy,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    transcriptHead: row.transcriptHead,
    createdAt: row.createdAt,
    admittedAt: row.admittedAt,
    completedAt: row.completedAt,
  };
}

export function outputFromEntity(row: ResultEntity): ReleasedOutput {
  return {
    name: row.outputName,
    unit: row.unit,
    values: storedDecimals(row).bytes.toString('utf8').split(','),
    intervalHalfWidth: BigInt(row.intervalHalfWidth),
    confidenceLevel: row.confidenceLevel,
    noise: row.noise,
  };
}

/** The stored output with its values' text as bytes (downloads hash and lay it out unsplit). */
export function storedOutputFromEntity(row: ResultEntity): StoredOutput {
  return {
    name: row.outputName,
    unit: row.unit,
    values: storedDecimals(row),
    ...(row.noisyLimbs !== null
      ? { limbs: { field: row.valueField ?? '', bytes: row.noisyLimbs } }
      : {}),
    intervalHalfWidth: BigInt(row.intervalHalfWidth),
    confidenceLevel: row.confidenceLevel,
  };
}

export function outputToEntity(
  sessionId: string,
  o: OutputRelease,
): QueryDeepPartialEntity<ResultEntity> {
  return {
    sessionId,
    outputName: o.name,
    unit: o.unit,
    noisyLimbs: limbBuffer(o),
    valueField: o.values.field.id,
    noisyValues: null,
    intervalHalfWidth: o.intervalHalfWidth.toString(),
    confidenceLevel: o.confidenceLevel,
    noise: { ...o.noise } as QueryDeepPartialEntity<ResultEntity>['noise'],
  };
}

/** A view of the vector's limbs, not a copy: the driver sends a Buffer as a binary parameter. */
function limbBuffer(o: OutputRelease): Buffer {
  const bytes = vectorToBytes(o.values);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * An output's values as canonical comma-separated decimals: the stored limbs decoded (each limb
 * checked canonical) and written out in one pass, or the stored text of an older row.
 */
function storedDecimals(row: ResultEntity): StoredValues {
  if (row.noisyLimbs === null) return storedValues(row.noisyValues ?? '');
  const field = fieldById(row.valueField ?? '');
  const length = row.noisyLimbs.byteLength / (4 * field.limbs);
  return decimalValues(vectorFromBytes(field, length, row.noisyLimbs));
}
