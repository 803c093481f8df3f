/**
 * The GraphQL response cache's store (issue 20): serialized query responses, kept only while
 * nothing they were built from can have changed.
 *
 * An entry remembers, from the moment its request started, the generations it depends on and is
 * served only while all of them are unchanged:
 * - the epoch: bumped by a business-clock jump, a partner-directory sync and {@link clear};
 * - its organization's generation: bumped by every mutation of the organization (after it ran)
 *   and every `workflowUpdated` event published for it (also those of other replicas, which the
 *   shared pub/sub forwards);
 * - the engine generation, for responses that show workflows (`node`, `nodes`, `workflows`):
 *   bumped at once by every change the workflow runner applies (its `workflowUpdated` events are
 *   coalesced, so they arrive up to 100 ms later);
 * - the Partner Center read cache's generation of each partner tenant it read, and it expires with
 *   the earliest read-cache entry it used (see server/partner-center/read-cache.ts), so it never
 *   serves what the read cache would not.
 * and at the latest after its TTL (which bounds fields computed from the current time and writes
 * made through another replica that publish no event).
 *
 * Memory is bounded by `maxEntries` and `maxBytes` (the length of the stored JSON, in UTF-16 code
 * units, which is what V8 holds at most per character); the least recently used entries go first,
 * and a single response over an eighth of `maxBytes` is not stored.
 */

export interface ResponseCacheOptions {
  /** Longest an entry is served; 0 turns the cache off. */
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  /** Monotonic milliseconds; must be the clock of performance.now() (read-cache expiries). */
  now?: () => number;
}

/** What a response depends on, captured when its request started. */
export interface ResponseStamp {
  epoch: number;
  organizationId: string;
  organization: number;
  /** The engine generation, when the response shows workflows. */
  engine: number | null;
}

export interface CachedResponse {
  status: number;
  headers: ReadonlyArray<readonly [string, string]>;
  /** `JSON.stringify(data)`. */
  dataJson: string;
  /** Extensions other than `cost`. */
  extensions: Readonly<Record<string, unknown>>;
  /** Cost points the operation requests and its actual cost (charged again on every hit). */
  requested: number;
  actual: number;
}

interface Entry extends CachedResponse {
  stamp: ResponseStamp;
  tenants: ReadonlyArray<readonly [string, number]>;
  expiresAt: number;
  bytes: number;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stored: number;
  /** Responses not stored, by reason. */
  skipped: Record<string, number>;
  /** Entries dropped because something they depend on changed or they expired. */
  stale: number;
  /** The same, by what changed (expired, epoch, organization, engine, read cache). */
  staleBy: Record<string, number>;
  evicted: number;
  entries: number;
  bytes: number;
  /** hits / (hits + misses); 0 before any lookup. */
  hitRatio: number;
}

export class ResponseCacheStore {
  private readonly entries = new Map<string, Entry>();
  private readonly organizations = new Map<string, number>();
  private epoch = 0;
  private engine = 0;
  private bytes = 0;
  private readonly now: () => number;
  private counters = { hits: 0, misses: 0, stored: 0, stale: 0, evicted: 0 };
  private skipped: Record<string, number> = {};
  private staleBy: Record<string, number> = {};

  constructor(
    private readonly options: ResponseCacheOptions,
    /** The read cache's current generation of a partner tenant. */
    private readonly tenantGeneration: (partnerTenantId: string) => number,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxEntries > 0 && this.options.maxBytes > 0;
  }

  /** Taken before a request executes; what it stores is checked against it. */
  stamp(organizationId: string, showsWorkflows: boolean): ResponseStamp {
    return {
      epoch: this.epoch,
      organizationId,
      organization: this.organizations.get(organizationId) ?? 0,
      engine: showsWorkflows ? this.engine : null,
    };
  }

  /** Why the entry may no longer be served; null while it may. */
  private staleness(entry: Entry): string | null {
    const { stamp } = entry;
    if (entry.expiresAt <= this.now()) {
      return 'expired';
    }
    if (stamp.epoch !== this.epoch) {
      return 'epoch';
    }
    if (stamp.organization !== (this.organizations.get(stamp.organizationId) ?? 0)) {
      return 'organization';
    }
    if (stamp.engine !== null && stamp.engine !== this.engine) {
      return 'engine';
    }
    for (const [tenant, generation] of entry.tenants) {
      if (this.tenantGeneration(tenant) !== generation) {
        return 'read cache';
      }
    }
    return null;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.counters.misses += 1;
      return undefined;
    }
    const stale = this.staleness(entry);
    if (stale) {
      this.delete(key, entry);
      this.counters.stale += 1;
      this.staleBy[stale] = (this.staleBy[stale] ?? 0) + 1;
      this.counters.misses += 1;
      return undefined;
    }
    // Map order is the eviction order: a hit makes the entry the most recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.counters.hits += 1;
    return entry;
  }

  /** Stores a response unless something it depends on changed since `stamp` was taken. */
  set(
    key: string,
    response: CachedResponse,
    stamp: ResponseStamp,
    dependencies: { tenants: ReadonlyMap<string, number>; expiresAt: number },
  ): void {
    const bytes = key.length + response.dataJson.length;
    if (bytes > this.options.maxBytes / 8) {
      this.skip('too large');
      return;
    }
    const entry: Entry = {
      ...response,
      stamp,
      tenants: [...dependencies.tenants],
      expiresAt: Math.min(this.now() + this.options.ttlMs, dependencies.expiresAt),
      bytes,
    };
    const stale = this.staleness(entry);
    if (stale) {
      this.skip(`${stale} changed while running`);
      return;
    }
    const previous = this.entries.get(key);
    if (previous) {
      this.delete(key, previous);
    }
    this.entries.set(key, entry);
    this.bytes += bytes;
    this.counters.stored += 1;
    while (this.entries.size > this.options.maxEntries || this.bytes > this.options.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.delete(oldestKey, oldest);
      this.counters.evicted += 1;
    }
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** A mutation ran or a workflow of the organization changed. */
  organizationChanged(organizationId: string): void {
    this.organizations.set(organizationId, (this.organizations.get(organizationId) ?? 0) + 1);
  }

  /** The workflow runner applied a change (to any workflow). */
  engineChanged(): void {
    this.engine += 1;
  }

  /** Anything may have changed (clock jump, directory sync): nothing stored is served again. */
  clear(): void {
    this.epoch += 1;
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): ResponseCacheStats {
    const lookups = this.counters.hits + this.counters.misses;
    return {
      ...this.counters,
      skipped: { ...this.skipped },
      staleBy: { ...this.staleBy },
      entries: this.entries.size,
      bytes: this.bytes,
      hitRatio: lookups === 0 ? 0 : this.counters.hits / lookups,
    };
  }

  resetStats(): void {
    this.counters = { hits: 0, misses: 0, stored: 0, stale: 0, evicted: 0 };
    this.skipped = {};
    this.staleBy = {};
  }
}
