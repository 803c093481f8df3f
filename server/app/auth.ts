import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { type AuthCheckerFn } from 'type-graphql';
import { z } from 'zod';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors.js';
import { PartnerRole } from '../shared/enums.js';
import { type AppContext } from './context.js';

/** The authenticated caller, from the bearer JWT's claims (`sub`, `name`, `org`, `roles`). */
export interface Actor {
  userId: string;
  name: string | null;
  organizationId: string;
  roles: PartnerRole[];
}

/** Roles that may read customers and subscriptions. */
export const CUSTOMER_READ_ROLES = [
  PartnerRole.GLOBAL_ADMIN,
  PartnerRole.ADMIN_AGENT,
  PartnerRole.SALES_AGENT,
] as const;

/** Roles that may run workflows that change Partner Center (R-CON-10). */
export const WORKFLOW_WRITE_ROLES = [PartnerRole.GLOBAL_ADMIN, PartnerRole.ADMIN_AGENT] as const;

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  org: z.string().min(1),
  roles: z.array(z.string()).default([]),
});

export interface AuthVerifier {
  /** Verifies a bearer token; throws `UNAUTHENTICATED` on anything wrong. */
  verify(token: string): Promise<Actor>;
  /** Verifies an `Authorization` header value (`Bearer …`); a missing one is `UNAUTHENTICATED`. */
  verifyHeader(header: string | null | undefined): Promise<Actor>;
}

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
export const authChecker: AuthCheckerFn<AppContext, PartnerRole> = ({ context }, roles) => {
  if (!context.actor) {
    throw new UnauthenticatedError();
  }
  if (roles.length > 0 && !roles.some((role) => context.actor!.roles.includes(role))) {
    throw new ForbiddenError(`This needs one of the roles ${roles.join(', ')}.`);
  }
  return true;
};
