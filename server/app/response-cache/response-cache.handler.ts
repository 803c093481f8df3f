import { createHash } from 'node:crypto';
import { type ServerResponse } from 'node:http';
import { type HTTPGraphQLResponse } from '@apollo/server';
import { type Actor } from '../../shared/actor.js';
import { type CostBudget } from '../limits/cost-budget.js';
import { principalOf, settleOperation } from '../limits/operation-limits.js';
import { type ResponseCapture } from './response-cache.plugin.js';
import { type CachedResponse, type ResponseCacheStore } from './response-cache.store.js';

/**
 * The key of a POST request's response: organization, roles (what a role may not read is never
 * served to it), the Accept header (it picks the content type), the operation name, a hash of the
 * query text and the variables. Nothing else of the user goes in: cached roots show nothing
 * per user (see response-cache.plugin.ts).
 */
export function responseCacheKey(
  actor: Actor,
  accept: string | undefined,
  body: unknown,
): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return undefined;
  }
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) {
    // Persisted-query and other request extensions go through Apollo unchanged.
    return undefined;
  }
  const roles = [...actor.roles].sort().join(',');
  const hash = createHash('sha256').update(query).digest('base64url');
  return JSON.stringify([
    actor.organizationId,
    roles,
    accept ?? '',
    typeof operationName === 'string' ? operationName : null,
    hash,
    variables ?? null,
  ]);
}

/**
 * Answers from the cache, charging the operation's cost as if it had run (issue 8: a cached
 * answer costs the same). Returns false (nothing charged, nothing sent) when the budget does not
 * cover it: Apollo then answers with the usual THROTTLED error.
 */
export function sendCached(
  res: ServerResponse,
  hit: CachedResponse,
  actor: Actor,
  budget: CostBudget,
  requestId: string,
): boolean {
  const principal = principalOf(actor);
  const decision = budget.take(principal, hit.requested);
  if (!decision.ok) {
    return false;
  }
  const cost = settleOperation(
    budget,
    principal,
    {
      requested: hit.requested,
      actual: null,
      remaining: decision.remaining,
      maximum: budget.capacity,
      restoreRate: budget.restorePerSecond,
    },
    hit.actual,
  );
  res.statusCode = hit.status;
  for (const [key, value] of hit.headers) {
    res.setHeader(key, value);
  }
  res.setHeader('x-request-id', requestId);
  // Apollo's own serialization (errors, data, extensions; JSON.stringify + newline).
  res.end(`{"data":${hit.dataJson},"extensions":${JSON.stringify({ ...hit.extensions, cost })}}\n`);
  return true;
}

/** Stores what the plugin found storable, cutting `data` out of Apollo's serialized body. */
export function storeResponse(
  store: ResponseCacheStore,
  capture: ResponseCapture,
  result: HTTPGraphQLResponse,
): void {
  const { response, stamp } = capture;
  if (!response || !stamp) {
    return;
  }
  const status = result.status ?? 200;
  if (status !== 200 || result.body.kind !== 'complete') {
    store.skip('http');
    return;
  }
  const text = result.body.string;
  const prefix = '{"data":';
  const suffix = `,"extensions":${response.extensionsJson}}\n`;
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) {
    store.skip('serialization');
    return;
  }
  const { extensionsJson: _json, ...rest } = response;
  store.set(
    capture.key,
    {
      ...rest,
      status,
      // The body of a hit differs (its cost): never replay a length.
      headers: [...result.headers].filter(([name]) => name.toLowerCase() !== 'content-length'),
      dataJson: text.slice(prefix.length, text.length - suffix.length),
    },
    stamp,
    capture.dependencies,
  );
}
