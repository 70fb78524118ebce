import { ApiError } from './api.js';

/** @typedef {'admin' | 'analyst' | 'auditor'} Role */

/**
 * What the token stands for, from `GET /me` (a wrong or revoked token fails here with 401).
 * @param {import('./api.js').Api} api
 * @returns {Promise<Role>}
 */
export async function detectRole(api) {
  const me = /** @type {{ role?: unknown }} */ (await api.get('/me'));
  if (me.role === 'admin' || me.role === 'analyst' || me.role === 'auditor') return me.role;
  throw new ApiError(0, {
    code: 'unexpected-answer',
    detail: 'The coordinator did not say which role this token has.',
  });
}

/**
 * @param {Role | null} role
 * @returns {boolean}
 */
export function canRequestReports(role) {
  return role === 'analyst' || role === 'admin';
}
