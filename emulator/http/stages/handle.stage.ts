import { retainReplay } from '../../core/retention.js';
import { makeBaseRequest, type PcRequest } from '../router.js';
import type { Stage } from '../request-context.js';
import { errorResponse } from './shared-responses.js';

function headerPairs(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((v, k) => out.push([k, v]));
  return out;
}

/** Runs the route's handler; stores a 2xx for MS-RequestId replay. Always answers. */
export const handleStage: Stage = async (ctx) => {
  const { matched, tenant, token } = ctx;
  if (!matched || !tenant || !token.ok) {
    return undefined;
  }
  const { rt } = ctx.deps;
  const base = makeBaseRequest(
    rt,
    ctx.request,
    ctx.url,
    ctx.path,
    matched.params,
    ctx.bodyText,
    ctx.correlationId,
    ctx.requestId,
  );
  const pcReq: PcRequest = {
    ...base,
    tenant,
    actor: {
      partnerTenantId: tenant.tenantId,
      userPrincipalName: `admin@${tenant.domain}`,
      applicationId: typeof token.claims.appid === 'string' ? token.claims.appid : 'csp-migrations',
      correlationId: ctx.correlationId,
    },
  };
  let res: Response;
  try {
    res = await matched.route.handle(pcReq);
  } catch (err) {
    res = errorResponse(err);
  }
  if (ctx.idemKey && res.status >= 200 && res.status < 300) {
    const body = await res.clone().text();
    retainReplay(
      rt.store,
      {
        key: ctx.idemKey,
        status: res.status,
        headers: headerPairs(res.headers),
        body,
        createdAt: rt.nowIso(),
      },
      rt.options.retention,
      rt.now(),
    );
  }
  if (ctx.method !== 'GET' && res.status < 300) {
    ctx.changed = true;
  }
  return res;
};
