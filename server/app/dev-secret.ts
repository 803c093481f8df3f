import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

// In emulator mode without AUTH_JWT_SECRET, `npm start` generates a dev secret and keeps it next to
// the SQLite database file, so `npm run token` (same DATABASE_URL) signs tokens the running server
// accepts. A database that is not a file here (`:memory:`, PostgreSQL, PGlite) keeps it in
// ./data/dev-jwt-secret: `postgres://host/db` has no directory of its own (issue 16 item 10: the
// secret went to a folder named `postgres:` and the token script did not find it).

const DEFAULT_DIR = './data';
const FILE_NAME = 'dev-jwt-secret';

/** Where the dev secret is kept for a DATABASE_URL (absolute, from the working directory). */
export function devSecretPath(databaseUrl: string): string {
  const url = databaseUrl.trim();
  const notAFile =
    url === '' ||
    url.includes(':memory:') ||
    /^postgres(ql)?:\/\//i.test(url) ||
    url.startsWith('pglite:') ||
    /mode=memory/i.test(url);
  if (notAFile) {
    return resolve(DEFAULT_DIR, FILE_NAME);
  }
  // SQLite: a path, `file:path` or `file:///abs/path`, maybe with `?options`.
  let path = url.replace(/\?.*$/, '');
  if (/^file:\/\//i.test(path)) {
    path = decodeURIComponent(new URL(path).pathname);
  } else {
    path = path.replace(/^file:/i, '');
  }
  return resolve(dirname(path), FILE_NAME);
}

export async function readDevSecret(databaseUrl: string): Promise<string | undefined> {
  try {
    const text = (await readFile(devSecretPath(databaseUrl), 'utf8')).trim();
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
  const file = devSecretPath(databaseUrl);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { encoding: 'utf8', mode: 0o600 });
  return secret;
}
