import { replayRecord } from '../../core/retention.js';
import type { Stage } from '../request-context.js';

/**
 * A non-GET whose MS-RequestId this tenant already had answered with a 2xx on this path gets the
 * stored response back; sets `ctx.idemKey` so the handler stage stores a new success.
 */
export const replayStage: Stage = (ctx) => {
  const { tenant, method, requestId } = ctx;
  if (!tenant || method === 'GET' || !requestId) {
    return undefined;
  }
  ctx.idemKey = `${tenant.tenantId}|${method}|${ctx.path.toLowerCase()}|${requestId}`;
  const { rt } = ctx.deps;
  const cached = replayRecord(rt.store, ctx.idemKey, rt.options.retention, rt.now());
  if (!cached) {
    return undefined;
  }
  ctx.entry.replayed = true;
  return new Response(cached.body === '' ? null : cached.body, {
    status: cached.status,
    headers: cached.headers,
  });
};
