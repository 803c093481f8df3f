import type { Stage } from '../request-context.js';
import { throttledResponse } from './shared-responses.js';

/** Token buckets per route family (partner, or partner+customer); notes early retries. */
export const throttleStage: Stage = (ctx) => {
  const { matched, tenant, entry } = ctx;
  if (!matched || !tenant) {
    return undefined;
  }
  const { throttler } = ctx.deps;
  const { route, params } = matched;
  const customerForThrottle = route.customerParam ? (params[route.customerParam] ?? null) : null;
  const bucket = throttler.bucketKey(route.family, tenant.tenantId, customerForThrottle);
  if (bucket) {
    const early = throttler.checkEarlyRetry(bucket, {
      tenantId: tenant.tenantId,
      method: ctx.method,
      path: ctx.path,
      requestId: ctx.requestId,
      at: entry.time,
    });
    entry.earlyRetry = entry.earlyRetry || early;
  }
  const decision = throttler.take(route.family, tenant.tenantId, customerForThrottle);
  if (!decision.ok) {
    entry.throttled = true;
    throttler.noteRetryAfter(decision.bucket, decision.retryAfterSeconds);
    return throttledResponse(decision.retryAfterSeconds);
  }
  return undefined;
};
