import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal.js';

export const ROLES_KEY = 'concord:roles';
export const PUBLIC_KEY = 'concord:public';

/** Roles allowed to call a handler (admins may call every handler). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** A handler anyone may call without a token (health, API docs, the dashboard's files). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
