import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Bearer JWTs as Entra ID issues them: the emulator reads the `tid` claim to know the calling
 * partner tenant (seams.md "Auth toward Partner Center"). The signature is checked only when the
 * emulator is configured with `auth.verifySignature`.
 */
export const DEFAULT_TOKEN_SECRET = 'csp-migrations-emulator-dev-key';
export const PC_AUDIENCE = 'https://api.partnercenter.microsoft.com';

export interface TokenClaims {
  tid: string;
  [claim: string]: unknown;
}

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** Mints an HS256 JWT whose `tid` is the partner tenant id. */
export function mintToken(tenantId: string, secret: string, issuedAt: Date): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const payload = b64url(
    JSON.stringify({
      aud: PC_AUDIENCE,
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      oid: tenantId,
      appid: 'csp-migrations-emulator',
      iat,
      nbf: iat,
      // Far future: the virtual clock can be advanced by months in a test.
      exp: iat + 10 * 365 * 24 * 3600,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export type TokenResult =
  { ok: true; claims: TokenClaims } | { ok: false; reason: 'missing' | 'invalid' };

/** Reads the bearer token of a request. */
export function readToken(
  authorization: string | null,
  verify: { secret: string } | undefined,
): TokenResult {
  if (!authorization) {
    return { ok: false, reason: 'missing' };
  }
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m || !m[1]) {
    return { ok: false, reason: 'missing' };
  }
  const parts = m[1].split('.');
  if (parts.length < 2) {
    return { ok: false, reason: 'invalid' };
  }
  const [header, payload, signature] = parts as [string, string, string | undefined];
  try {
    const claims = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as Partial<TokenClaims>;
    if (typeof claims.tid !== 'string' || claims.tid === '') {
      return { ok: false, reason: 'invalid' };
    }
    if (verify) {
      const expected = createHmac('sha256', verify.secret).update(`${header}.${payload}`).digest();
      const given = Buffer.from(signature ?? '', 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'invalid' };
      }
    }
    return { ok: true, claims: claims as TokenClaims };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}
