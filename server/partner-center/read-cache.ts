import {
  noteLiveCall,
  noteReadCacheRead,
  outsideResponse,
} from '../shared/response-dependencies.js';

/**
 * A short-lived cache of Partner Center reads made for front-end traffic (customers, subscriptions,
 * agreements, Azure entitlements), so that a busy UI does not spend the partner tenant's rate
 * budget (reference §1 "Throttling": 500 requests/minute per tenant) that the workflows need.
 *
 * - Entries belong to one partner tenant and remember the organization that tenant belongs to
 *   (a tenant belongs to exactly one organization). A read is served only to a caller of that
 *   organization; anything else is a miss that leaves the entry alone, so cached data never crosses
 *   organizations even if the directory changes under us.
 * - Concurrent misses for one key share one Partner Center call (single flight); a failed load is
 *   not cached.
 * - Our own writes invalidate what they may change ({@link invalidateForWrite}, wired into the
 *   client), and so do the audit records we read ({@link invalidateForAuditRecords}); changes made
 *   by others (a customer accepting an invitation, Microsoft support moving a subscription) are
 *   seen at the latest after the TTL.
 * - The workflow engine never reads through this cache: its steps must see Partner Center as it is.
 * - Every change of a tenant's entries (a load stored, an entry dropped for any reason) bumps the
 *   tenant's {@link generation}; the GraphQL response cache serves a response only while the
 *   generations it was built at are unchanged, so it never serves what this cache would not.
 */

export interface ReadCacheScope {
  /** The caller's organization (from its token). */
  organizationId: string;
  /** The partner tenant whose Partner Center view is read. */
  partnerTenantId: string;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  /** Entries dropped by our writes and by audit records. */
  invalidations: number;
  entries: number;
  /** hits / (hits + misses), 0 when nothing was read. */
  hitRatio: number;
}

export interface ReadCacheOptions {
  /** How long an entry is served; 0 turns the cache off (every read goes to Partner Center). */
  ttlMs: number;
  /** Monotonic milliseconds (tests inject a fake). */
  now?: () => number;
  /** Entries per partner tenant before the oldest are dropped. */
  maxEntriesPerTenant?: number;
}

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
  /** The customer the entry is about; null for tenant-wide reads (the customer list). */
  customerTenantId: string | null;
}

interface TenantEntries {
  organizationId: string;
  entries: Map<string, Entry>;
  /** Keys of each customer's entries, so a write invalidates without scanning. */
  byCustomer: Map<string, Set<string>>;
}

/** What kind of read a key names; customer-scoped kinds carry the customer tenant id. */
export type ReadKey =
  | { kind: 'customers' }
  | { kind: 'customer'; customerTenantId: string }
  | { kind: 'subscriptions'; customerTenantId: string }
  | { kind: 'agreements'; customerTenantId: string }
  | { kind: 'entitlements'; customerTenantId: string; subscriptionId: string };

function keyText(key: ReadKey): string {
  switch (key.kind) {
    case 'customers':
      return 'customers';
    case 'entitlements':
      return `entitlements|${key.customerTenantId.toLowerCase()}|${key.subscriptionId.toLowerCase()}`;
    default:
      return `${key.kind}|${key.customerTenantId.toLowerCase()}`;
  }
}

const CUSTOMER_PATH = /^\/(?:v1\/)?customers\/([^/?]+)/i;
/** Writes that change no customer or subscription (support tickets). */
const NEUTRAL_WRITE_PATH = /^\/(?:v1\/)?servicerequests(?:\/|$)/i;

export class PartnerCenterReadCache {
  private readonly tenants = new Map<string, TenantEntries>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;
  /** Last change of each tenant's entries (a counter shared by all tenants, never reset). */
  private readonly generations = new Map<string, number>();
  private changes = 0;
  /** The change count at the last invalidateAll (every tenant is at least this). */
  private allChangedAt = 0;

  constructor(private readonly options: ReadCacheOptions) {
    this.now = options.now ?? (() => performance.now());
    this.maxEntries = options.maxEntriesPerTenant ?? 20_000;
  }

  /** Changes whenever anything cached for the tenant changes (see the class comment). */
  generation(partnerTenantId: string): number {
    return Math.max(this.generations.get(partnerTenantId) ?? 0, this.allChangedAt);
  }

  private changed(partnerTenantId: string): void {
    this.changes += 1;
    this.generations.set(partnerTenantId, this.changes);
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  /**
   * Serves `key` for the tenant from the cache when fresh and the caller is of the tenant's
   * organization; otherwise loads it (one load per key at a time) and keeps it for the TTL.
   */
  async read<T>(scope: ReadCacheScope, key: ReadKey, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) {
      this.misses += 1;
      noteLiveCall('read cache off');
      return load();
    }
    const text = keyText(key);
    let tenant = this.tenants.get(scope.partnerTenantId);
    if (tenant && tenant.organizationId !== scope.organizationId) {
      // Not this caller's data: never serve it, never overwrite it.
      this.misses += 1;
      noteLiveCall('read cache of another organization');
      return load();
    }
    const now = this.now();
    const cached = tenant?.entries.get(text);
    if (cached && cached.expiresAt > now) {
      this.hits += 1;
      const generation = this.generation(scope.partnerTenantId);
      noteReadCacheRead(scope.partnerTenantId, generation, generation, cached.expiresAt - now);
      return cached.value as Promise<T>;
    }
    this.misses += 1;
    if (!tenant) {
      tenant = { organizationId: scope.organizationId, entries: new Map(), byCustomer: new Map() };
      this.tenants.set(scope.partnerTenantId, tenant);
    }
    const owner = tenant;
    const before = this.generation(scope.partnerTenantId);
    // Shared by every request that reads the key while it loads: belongs to none of them.
    const value = outsideResponse(load);
    const entry: Entry = {
      value,
      expiresAt: now + this.options.ttlMs,
      customerTenantId: 'customerTenantId' in key ? key.customerTenantId.toLowerCase() : null,
    };
    this.remove(owner, text); // re-inserted last: Map order is the eviction order
    owner.entries.set(text, entry);
    if (entry.customerTenantId) {
      const keys = owner.byCustomer.get(entry.customerTenantId) ?? new Set<string>();
      keys.add(text);
      owner.byCustomer.set(entry.customerTenantId, keys);
    }
    // Expired entries are never served again: drop them from the oldest on (one TTL of reads is
    // what the cache holds, not maxEntries of them long after they expired).
    for (const [oldText, oldEntry] of owner.entries) {
      if (oldEntry.expiresAt > now || oldEntry === entry) {
        break;
      }
      this.remove(owner, oldText);
    }
    let evicted = false;
    if (owner.entries.size > this.maxEntries) {
      const oldest = owner.entries.keys().next().value;
      if (oldest !== undefined) {
        evicted = this.remove(owner, oldest);
      }
    }
    const tenantId = scope.partnerTenantId;
    this.changed(tenantId);
    value.catch(() => {
      if (owner.entries.get(text) === entry) {
        this.remove(owner, text);
        this.changed(tenantId);
      }
    });
    // Only this read's own store happened in between, unless it evicted an entry (maybe one the
    // same response used, which the next read would load afresh).
    noteReadCacheRead(
      tenantId,
      evicted ? -1 : before,
      this.generation(tenantId),
      this.options.ttlMs,
    );
    return value;
  }

  private remove(tenant: TenantEntries, text: string): boolean {
    const entry = tenant.entries.get(text);
    if (!entry) {
      return false;
    }
    tenant.entries.delete(text);
    if (entry.customerTenantId) {
      const keys = tenant.byCustomer.get(entry.customerTenantId);
      keys?.delete(text);
      if (keys?.size === 0) {
        tenant.byCustomer.delete(entry.customerTenantId);
      }
    }
    return true;
  }

  /**
   * Drops what a customer's change may affect: the customer's entries under every partner tenant
   * (one customer tenant can be served by several of them, and a move between two changes both),
   * and the customer list of `partnerTenantId` when given.
   */
  invalidateCustomer(customerTenantId: string, partnerTenantId?: string): void {
    const customer = customerTenantId.toLowerCase();
    for (const [tenantId, tenant] of this.tenants) {
      for (const text of [...(tenant.byCustomer.get(customer) ?? [])]) {
        if (this.remove(tenant, text)) {
          this.invalidations += 1;
          this.changed(tenantId);
        }
      }
    }
    const tenant = partnerTenantId ? this.tenants.get(partnerTenantId) : undefined;
    if (partnerTenantId && tenant && this.remove(tenant, 'customers')) {
      this.invalidations += 1;
      this.changed(partnerTenantId);
    }
  }

  /** Drops every entry (the business clock jumped: anything may have changed meanwhile). */
  invalidateAll(): void {
    for (const tenant of this.tenants.values()) {
      this.invalidations += tenant.entries.size;
    }
    this.tenants.clear();
    this.changes += 1;
    this.allChangedAt = this.changes;
  }

  /** Drops every entry of one partner tenant. */
  invalidateTenant(partnerTenantId: string): void {
    const tenant = this.tenants.get(partnerTenantId);
    if (tenant) {
      this.invalidations += tenant.entries.size;
      this.tenants.delete(partnerTenantId);
    }
    this.changed(partnerTenantId);
  }

  /**
   * Called for every Partner Center write we attempt (success or not: a timed-out write may have
   * happened). A write under `/customers/{id}` invalidates that customer (and the writer's customer
   * list when it changes the customer resource itself); support tickets change
   * nothing cached; anything else (product upgrades, new customers) drops the tenant's entries.
   */
  invalidateForWrite(partnerTenantId: string, method: string, path: string): void {
    if (method.toUpperCase() === 'GET' || !this.enabled) {
      return;
    }
    if (NEUTRAL_WRITE_PATH.test(path)) {
      return;
    }
    const match = CUSTOMER_PATH.exec(path);
    const customer = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    if (customer && customer.toLowerCase() !== 'relationshiprequests') {
      // Orders and subscription updates leave the customer list as it was; a change of the
      // customer itself (e.g. ending the relationship) does not.
      const ofCustomerItself = path.slice(match?.[0].length ?? 0).replace(/[?#].*$/, '') === '';
      this.invalidateCustomer(customer, ofCustomerItself ? partnerTenantId : undefined);
      return;
    }
    this.invalidateTenant(partnerTenantId);
  }

  /**
   * Audit records read from Partner Center (reference §8) name changes made by anyone: each
   * record's customer is invalidated; a record without a customer drops the tenant's entries.
   */
  invalidateForAuditRecords(
    partnerTenantId: string,
    records: ReadonlyArray<{ customerId?: string | null }>,
  ): void {
    if (!this.enabled || records.length === 0) {
      return;
    }
    const customers = new Set<string>();
    for (const record of records) {
      if (!record.customerId) {
        this.invalidateTenant(partnerTenantId);
        return;
      }
      customers.add(record.customerId);
    }
    for (const customer of customers) {
      this.invalidateCustomer(customer, partnerTenantId);
    }
  }

  stats(): ReadCacheStats {
    let entries = 0;
    for (const tenant of this.tenants.values()) {
      entries += tenant.entries.size;
    }
    const total = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      invalidations: this.invalidations,
      entries,
      hitRatio: total === 0 ? 0 : this.hits / total,
    };
  }

  /** Zeroes the counters (benchmarks measure one phase at a time). */
  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
    this.invalidations = 0;
  }
}
