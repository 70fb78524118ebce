import { readFileSync } from 'node:fs';
import { ConfigurationError } from '#concord/errors';

/**
 * Secrets given as files (Docker and Kubernetes secrets), so they need not sit in the environment:
 * `ADMIN_TOKEN_FILE` holds the bootstrap admin token, `DATABASE_PASSWORD_FILE` the password put
 * into `DATABASE_URL`, `REDIS_PASSWORD_FILE` the one put into `REDIS_URL`. One trailing newline is ignored. Giving a secret both ways is an error, and
 * no message ever quotes a file's content.
 */
export function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved = { ...env };
  const adminTokenFile = nonEmpty(env.ADMIN_TOKEN_FILE);
  if (adminTokenFile) {
    if (nonEmpty(env.ADMIN_TOKEN))
      throw new ConfigurationError({
        setting: 'ADMIN_TOKEN_FILE',
        requirement: 'unset when ADMIN_TOKEN is set: set ADMIN_TOKEN or ADMIN_TOKEN_FILE, not both',
      });
    resolved.ADMIN_TOKEN = readSecret('ADMIN_TOKEN_FILE', adminTokenFile);
  }
  withPasswordFile(
    resolved,
    'DATABASE_URL',
    'DATABASE_PASSWORD_FILE',
    'a postgres:// or postgresql:// URL',
  );
  withPasswordFile(resolved, 'REDIS_URL', 'REDIS_PASSWORD_FILE', 'a redis:// or rediss:// URL');
  delete resolved.ADMIN_TOKEN_FILE;
  delete resolved.DATABASE_PASSWORD_FILE;
  delete resolved.REDIS_PASSWORD_FILE;
  return resolved;
}

/** Puts the password read from `fileVariable` into the URL in `urlVariable` (which must have none). */
function withPasswordFile(
  env: NodeJS.ProcessEnv,
  urlVariable: string,
  fileVariable: string,
  urlShape: string,
): void {
  const passwordFile = nonEmpty(env[fileVariable]);
  if (!passwordFile) return;
  const url = nonEmpty(env[urlVariable]);
  if (!url)
    throw new ConfigurationError({
      setting: fileVariable,
      requirement: `given with ${urlVariable} (${fileVariable} needs ${urlVariable})`,
    });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError({
      setting: urlVariable,
      requirement: urlShape,
      shown: 'a value that is not a URL',
    });
  }
  if (parsed.password)
    throw new ConfigurationError({
      setting: urlVariable,
      requirement: `without a password when ${fileVariable} is set (${urlVariable} already has a password; drop it or ${fileVariable})`,
    });
  parsed.password = readSecret(fileVariable, passwordFile);
  env[urlVariable] = parsed.toString();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readSecret(variable: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError({
      setting: variable,
      requirement: 'a readable file',
      shown: `${path} (${code})`,
    });
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '' || /[\r\n]/.test(secret))
    throw new ConfigurationError({
      setting: variable,
      requirement: 'a file holding one non-empty line',
      shown: path,
    });
  return secret;
}
