/** Who is calling the API, established from the bearer token. */
export type Role = 'admin' | 'analyst' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'auditor'];

export interface Principal {
  readonly name: string;
  readonly role: Role;
  /** Undefined for the bootstrap admin token from the environment. */
  readonly tokenId: string | undefined;
}
