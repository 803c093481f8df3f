import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one GraphQL response was built from, collected while it executes (AsyncLocalStorage, so
 * DataLoader batches and resolvers deep in the tree report to the request that caused them). The
 * response cache (server/app/response-cache/) stores a response only when everything it read is
 * something it can watch for change: the Partner Center read cache (by tenant generation and entry
 * expiry) and our own database (by organization generation). Any other outbound call (a live
 * Partner Center, ARM or Graph read, e.g. `gdapRelationships`) makes the response uncacheable.
 */
export interface ResponseDependencies {
  /** Read-cache generation of each partner tenant when the response first read it. */
  readonly tenants: Map<string, number>;
  /** Earliest expiry (performance.now() ms) of the read-cache entries used. */
  expiresAt: number;
  /** Why the response must not be cached; null while it may be. */
  uncacheable: string | null;
}

const storage = new AsyncLocalStorage<ResponseDependencies>();

export const newResponseDependencies = (): ResponseDependencies => ({
  tenants: new Map(),
  expiresAt: Number.POSITIVE_INFINITY,
  uncacheable: null,
});

/** Runs `fn` (and everything it starts) with `dependencies` collecting what it reads. */
export function collectDependencies<T>(dependencies: ResponseDependencies, fn: () => T): T {
  return storage.run(dependencies, fn);
}

/**
 * A read-cache read: the tenant's generation before and after it (they differ when the read
 * stored a load of its own), and how long the entry it used lives.
 */
export function noteReadCacheRead(
  partnerTenantId: string,
  before: number,
  after: number,
  expiresInMs: number,
): void {
  const dependencies = storage.getStore();
  if (!dependencies) {
    return;
  }
  const seen = dependencies.tenants.get(partnerTenantId);
  if (seen === undefined || seen === before) {
    dependencies.tenants.set(partnerTenantId, after);
  } else {
    // The tenant changed since this response first read it: parts of it may be older.
    dependencies.uncacheable ??= 'read cache changed during the request';
  }
  dependencies.expiresAt = Math.min(dependencies.expiresAt, performance.now() + expiresInMs);
}

/** An outbound call no cache watches (a live read): the response must not be cached. */
export function noteLiveCall(what: string): void {
  const dependencies = storage.getStore();
  if (dependencies) {
    dependencies.uncacheable ??= `live call: ${what}`;
  }
}

/** Runs `fn` outside any response (a read-cache load, shared by every request that waits on it). */
export function outsideResponse<T>(fn: () => T): T {
  return storage.exit(fn);
}
