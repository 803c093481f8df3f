import type { Stage } from '../request-context.js';
import { pcError } from '../responses.js';
import { armError } from './shared-responses.js';

/** The bearer token must name a known partner tenant (`tid`); sets `ctx.tenant`. */
export const authStage: Stage = (ctx) => {
  const { token, scope } = ctx;
  if (!token.ok) {
    return scope === 'arm'
      ? armError(
          401,
          'AuthenticationFailed',
          'Authentication failed. The Authorization header is missing or invalid.',
        )
      : token.reason === 'missing'
        ? pcError(
            401,
            800001,
            'Partner token is missing. Send "Authorization: Bearer <token>".',
            [],
            {
              'WWW-Authenticate': 'Bearer realm="https://api.partnercenter.microsoft.com"',
            },
          )
        : pcError(401, 400, 'Access denied: the bearer token could not be validated.');
  }
  const tenant = ctx.deps.rt.store.partners.get(token.claims.tid);
  if (!tenant) {
    return scope === 'arm'
      ? armError(
          401,
          'InvalidAuthenticationTokenTenant',
          `The tenant ${token.claims.tid} is not known.`,
        )
      : pcError(
          401,
          400,
          `Access denied: ${token.claims.tid} is not a Partner Center partner tenant.`,
        );
  }
  ctx.tenant = tenant;
  return undefined;
};
