import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { type AuthCheckerFn } from 'type-graphql';
import { z } from 'zod';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors.js';
import { PartnerRole } from '../shared/enums.js';
import { type Actor, type AuthVerifier } from '../shared/actor.js';
import { type ApiContext } from '../modules/api-context.js';

export {
  type Actor,
  type AuthVerifier,
  CUSTOMER_READ_ROLES,
  WORKFLOW_WRITE_ROLES,
} from '../shared/actor.js';

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  org: z.string().min(1),
  roles: z.array(z.string()).default([]),
});

export interface AuthVerifierOptions {
  jwtSecret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** A key set to use instead of fetching `jwksUrl` (tests). */
  jwks?: JWTVerifyGetKey;
}

export function createAuthVerifier(options: AuthVerifierOptions): AuthVerifier {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const jwks =
    options.jwks ?? (options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined);
  if (!secret && !jwks) {
    throw new Error('auth needs a JWT secret or a JWKS');
  }
  const verifyOptions = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };

  const verify = async (token: string): Promise<Actor> => {
    let payload: unknown;
    try {
      payload = secret
        ? (await jwtVerify(token, secret, { ...verifyOptions, algorithms: ['HS256'] })).payload
        : (await jwtVerify(token, jwks!, { ...verifyOptions, algorithms: ['RS256', 'ES256'] }))
            .payload;
    } catch {
      throw new UnauthenticatedError('The bearer token is invalid or expired.');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new UnauthenticatedError('The bearer token lacks the sub, org or roles claims.');
    }
    const known = new Set<string>(Object.values(PartnerRole));
    return {
      userId: claims.data.sub,
      name: claims.data.name ?? null,
      organizationId: claims.data.org,
      roles: claims.data.roles.filter((r): r is PartnerRole => known.has(r)),
    };
  };

  return {
    verify,
    async verifyHeader(header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      if (!match?.[1]) {
        throw new UnauthenticatedError();
      }
      return verify(match[1]);
    },
  };
}

/** Signs an HS256 token for local use (`npm run token`, the dev token printed by `npm start`, tests). */
export async function signDevToken(options: {
  secret: string;
  organizationId: string;
  roles: PartnerRole[];
  userId?: string;
  name?: string;
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}): Promise<string> {
  let jwt = new SignJWT({
    org: options.organizationId,
    roles: options.roles,
    name: options.name ?? 'Local developer',
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.userId ?? 'dev-user')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) {
    jwt = jwt.setIssuer(options.issuer);
  }
  if (options.audience) {
    jwt = jwt.setAudience(options.audience);
  }
  return jwt.sign(new TextEncoder().encode(options.secret));
}

/**
 * type-graphql auth checker: `@Authorized()` needs a caller, `@Authorized([roles])` one of the roles.
 * Throws the coded errors itself so clients see `UNAUTHENTICATED`/`FORBIDDEN`.
 */
export const authChecker: AuthCheckerFn<ApiContext, PartnerRole> = ({ context }, roles) => {
  if (!context.actor) {
    throw new UnauthenticatedError();
  }
  if (roles.length > 0 && !roles.some((role) => context.actor!.roles.includes(role))) {
    throw new ForbiddenError(`This needs one of the roles ${roles.join(', ')}.`);
  }
  return true;
};
