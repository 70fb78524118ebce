import type { EntityManager } from 'typeorm';

/** Advisory-lock key (bigint) of boot-time registration: "concordr" in ASCII. */
export const REGISTRATION_LOCK_KEY = '7165066905520333938';

/**
 * Runs a coordinator's boot-time registration (the consortium's agencies, the catalogue's
 * protocol versions) in one transaction that holds a transaction-level advisory lock. Replicas
 * starting together would otherwise insert the same rows at once, and an upsert resolves a
 * conflict on its own key only: the other unique index (e.g. protocol id and version) fails it.
 */
export function underRegistrationLock<T>(
  manager: EntityManager,
  work: (m: EntityManager) => Promise<T>,
): Promise<T> {
  return manager.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1::bigint)', [REGISTRATION_LOCK_KEY]);
    return work(m);
  });
}
