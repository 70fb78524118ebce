import { readFileSync } from 'node:fs';

/**
 * Secrets given as files (Docker and Kubernetes secrets), so they need not sit in the environment:
 * `ADMIN_TOKEN_FILE` holds the bootstrap admin token, `DATABASE_PASSWORD_FILE` the password put
 * into `DATABASE_URL`. One trailing newline is ignored. Giving a secret both ways is an error, and
 * no message ever quotes a file's content.
 */
export function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved = { ...env };
  const adminTokenFile = nonEmpty(env.ADMIN_TOKEN_FILE);
  if (adminTokenFile) {
    if (nonEmpty(env.ADMIN_TOKEN))
      throw new Error(
        'invalid coordinator configuration: set ADMIN_TOKEN or ADMIN_TOKEN_FILE, not both',
      );
    resolved.ADMIN_TOKEN = readSecret('ADMIN_TOKEN_FILE', adminTokenFile);
  }
  const passwordFile = nonEmpty(env.DATABASE_PASSWORD_FILE);
  if (passwordFile) {
    const url = nonEmpty(env.DATABASE_URL);
    if (!url)
      throw new Error(
        'invalid coordinator configuration: DATABASE_PASSWORD_FILE needs DATABASE_URL',
      );
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('invalid coordinator configuration: DATABASE_URL is not a URL');
    }
    if (parsed.password)
      throw new Error(
        'invalid coordinator configuration: DATABASE_URL already has a password; drop it or DATABASE_PASSWORD_FILE',
      );
    parsed.password = readSecret('DATABASE_PASSWORD_FILE', passwordFile);
    resolved.DATABASE_URL = parsed.toString();
  }
  delete resolved.ADMIN_TOKEN_FILE;
  delete resolved.DATABASE_PASSWORD_FILE;
  return resolved;
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
    throw new Error(`invalid coordinator configuration: cannot read ${variable} ${path} (${code})`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '' || /[\r\n]/.test(secret))
    throw new Error(
      `invalid coordinator configuration: ${variable} ${path} must hold one non-empty line`,
    );
  return secret;
}
