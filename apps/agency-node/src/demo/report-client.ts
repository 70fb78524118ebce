import { requestWithCa } from './request-with-ca.js';

/** A minimal HTTP client for the coordinator's analyst API (the demo's and the tests' view). */
export class ReportClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    /** PEM CA that issued an HTTPS coordinator's certificate (default: the public roots). */
    readonly ca?: string,
  ) {}

  async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const init = {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const url = `${this.baseUrl}${path}`;
    const { status, text } = this.ca
      ? await requestWithCa(url, this.ca, init)
      : await fetch(url, init).then(async (res) => ({
          status: res.status,
          text: await res.text(),
        }));
    return { status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A client for the same coordinator with another token. */
  as(token: string): ReportClient {
    return new ReportClient(this.baseUrl, token, this.ca);
  }

  /** Issues a token (needs an admin token) and returns a client using it. */
  async withNewToken(name: string, role: 'admin' | 'analyst' | 'auditor'): Promise<ReportClient> {
    return (await this.issueToken(name, role)).client;
  }

  /** Issues a token (needs an admin token): its id, and a client using it. */
  async issueToken(
    name: string,
    role: 'admin' | 'analyst' | 'auditor',
    expiresIn?: string,
  ): Promise<{ id: string; client: ReportClient }> {
    const issued = await this.request<{ id?: string; token?: string }>('POST', '/admin/tokens', {
      name,
      role,
      ...(expiresIn === undefined ? {} : { expiresIn }),
    });
    if (issued.status !== 201 || !issued.body.token || !issued.body.id)
      throw new Error(`cannot issue a ${role} token: ${JSON.stringify(issued.body)}`);
    return { id: issued.body.id, client: this.as(issued.body.token) };
  }

  /** Polls until every registered agency's node is connected. */
  async waitForAgencies(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { body } = await this.request<{ connected: boolean }[]>('GET', '/agencies');
      if (body.length === 3 && body.every((a) => a.connected)) return;
      await sleep(100);
    }
    throw new Error('agency nodes did not all connect');
  }

  /**
   * Waits for a report to complete or abort and returns it whole: long polls (`?wait=`, the
   * coordinator answers as soon as it finishes). The long poll asks for the values too, so the
   * answer that says "completed" already carries them: one round trip less than asking again (an
   * unfinished report has no values to send).
   */
  async waitForReport<T extends { state: string }>(id: string, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const wait = Math.min(30, Math.max(1, Math.floor((deadline - Date.now()) / 1000)));
      const asked = Date.now();
      const { body } = await this.request<T>('GET', `/reports/${id}?wait=${wait}`);
      if (body.state === 'completed' || body.state === 'aborted') return body;
      // An error is answered at once (the database is down, say): ask again, but not in a spin.
      if (Date.now() - asked < 50) await sleep(50);
    }
    throw new Error(`report ${id} did not finish in time`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
