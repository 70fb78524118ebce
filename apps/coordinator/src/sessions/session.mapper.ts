import type { ProtocolVersionEntity, ResultEntity, SessionEntity } from '#concord/persistence';
import type { SessionPlan } from '#concord/protocol';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { ReleasedOutput, Session, StoredOutput } from './session.js';
import type { OutputRelease, SessionRowState } from '#concord/coordination';

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
    values: row.noisyValues.split(','),
    intervalHalfWidth: BigInt(row.intervalHalfWidth),
    confidenceLevel: row.confidenceLevel,
    noise: row.noise,
  };
}

/** The stored output with its value text as it is (downloads hash and scan it unsplit). */
export function storedOutputFromEntity(row: ResultEntity): StoredOutput {
  return {
    name: row.outputName,
    unit: row.unit,
    valuesText: row.noisyValues,
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
    noisyValues: o.valuesText,
    intervalHalfWidth: o.intervalHalfWidth.toString(),
    confidenceLevel: o.confidenceLevel,
    noise: { ...o.noise } as QueryDeepPartialEntity<ResultEntity>['noise'],
  };
}
