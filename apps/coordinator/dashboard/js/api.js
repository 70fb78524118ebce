/**
 * The coordinator's JSON API: bearer token, RFC 7807 problems turned into ApiError.
 */

/** An HTTP error from the API (or status 0 when the coordinator could not be reached). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ code?: string, title?: string, detail?: string, issues?: string[] }} problem
   */
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network' : `http-${status}`);
    this.title = problem.title ?? '';
    this.detail = problem.detail ?? '';
    this.issues = Array.isArray(problem.issues) ? problem.issues.map(String) : [];
  }
}

/**
 * @typedef {object} Api
 * @property {(path: string, options?: { signal?: AbortSignal }) => Promise<any>} get
 * @property {(path: string, body: unknown, options?: { signal?: AbortSignal }) => Promise<any>} post
 * @property {(path: string, options?: { signal?: AbortSignal }) => Promise<Blob>} blob  a file download
 */

/**
 * @param {{ token: () => string | null, onUnauthorized?: (error: ApiError) => void }} options
 * @returns {Api}
 */
export function createApi({ token, onUnauthorized }) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} body
   * @param {{ signal?: AbortSignal }} [options]
   */
  async function request(method, path, body, options = {}, accept = 'application/json') {
    /** @type {Record<string, string>} */
    const headers = { accept: `${accept}, application/problem+json` };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(0, {
        title: 'The coordinator could not be reached',
        detail: 'Check the network connection and that the coordinator is running.',
      });
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && accept !== 'application/json') return response.blob();
    const data = type.includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const error = new ApiError(response.status, data && typeof data === 'object' ? data : {});
      if (response.status === 401) onUnauthorized?.(error);
      throw error;
    }
    return data;
  }
  return {
    get: (path, options) => request('GET', path, undefined, options),
    post: (path, body, options) => request('POST', path, body, options),
    blob: (path, options) => request('GET', path, undefined, options, '*/*'),
  };
}
