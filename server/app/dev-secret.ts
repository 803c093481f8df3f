import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// In emulator mode without AUTH_JWT_SECRET, `npm start` generates a dev secret and keeps it next to
// the database (./data/dev-jwt-secret), so `npm run token` signs tokens the running server accepts.

function secretFile(databaseUrl: string): string {
  const memory = databaseUrl.includes(':memory:');
  const dir = memory ? './data' : dirname(databaseUrl.replace(/^file:/, ''));
  return join(dir, 'dev-jwt-secret');
}

export async function readDevSecret(databaseUrl: string): Promise<string | undefined> {
  try {
    const text = (await readFile(secretFile(databaseUrl), 'utf8')).trim();
    return text.length >= 32 ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the dev secret, creating it on first use. */
export async function ensureDevSecret(databaseUrl: string): Promise<string> {
  const existing = await readDevSecret(databaseUrl);
  if (existing) {
    return existing;
  }
  const secret = randomBytes(32).toString('base64url');
  const file = secretFile(databaseUrl);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { encoding: 'utf8', mode: 0o600 });
  return secret;
}
