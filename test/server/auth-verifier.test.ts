import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthVerifier } from '../../server/app/auth.js';

describe('createAuthVerifier with a JWKS (AUTH_JWKS_URL)', () => {
  it('accepts RS256 tokens signed by a key of the set and checks issuer and audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const verifier = createAuthVerifier({
      jwks: createLocalJWKSet({ keys: [jwk] }),
      issuer: 'https://login.example.test/tenant/v2.0',
      audience: 'api://csp-migrations',
    });
    const sign = (
      claims: Record<string, unknown>,
      iss = 'https://login.example.test/tenant/v2.0',
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('user-1')
        .setIssuer(iss)
        .setAudience('api://csp-migrations')
        .setExpirationTime('1h')
        .sign(privateKey);

    const actor = await verifier.verifyHeader(
      `Bearer ${await sign({ org: 'org-a', roles: ['ADMIN_AGENT', 'SOMETHING_ELSE'], name: 'Ada' })}`,
    );
    expect(actor).toEqual({
      userId: 'user-1',
      name: 'Ada',
      organizationId: 'org-a',
      roles: ['ADMIN_AGENT'],
    });

    await expect(
      verifier.verify(await sign({ org: 'org-a' }, 'https://evil.example')),
    ).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(verifier.verifyHeader(undefined)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
