import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type PcAuditRecord } from '../../../partner-center/contracts/audit-records.js';
import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { getRelationshipRequestUrl } from '../../../partner-center/operations.js';
import { customerAuditRecords } from './billing-dates.js';

/** Settings of {@link ConsolidationReads} (defaults: 50 ms window, 30 s age, 5,000 keys). */
export interface ConsolidationReadsOptions {
  /**
   * How long a subscriptions read waits for sibling items to join it before it starts. Siblings
   * (the subscriptions of one customer) reach the same step within a few ms of each other.
   */
  windowMs?: number;
  /** A finished read is reused only this long (and only by callers it is fresh enough for). */
  maxAgeMs?: number;
  /** Most (workflow, tenant, customer) entries kept; the oldest go first. */
  maxKeys?: number;
  /** Monotonic clock (ms); tests pass their own. */
  now?: () => number;
}

interface Read<T> {
  /** When the Partner Center request started (monotonic ms). */
  startedAt: number;
  value: T;
}

/**
 * The consolidation's per-run read cache (issue 20): one subscriptions list per customer and
 * tenant serves every item of that customer, one audit read per customer and source tenant serves
 * the suspensions whose time is uncertain, and one invitation URL per workflow and target tenant
 * serves every customer. Partner Center's budget is 500 requests/min per tenant: a read per
 * subscription was half of a 10,000-subscription consolidation's calls.
 *
 * Freshness rule: a caller names the earliest moment a read may have started to serve it
 * (`notBefore`: when its own last write finished, e.g. its order; or when it asked). A read that
 * started earlier is never handed to it, so a step never decides on data older than its own write
 * (read-after-write), exactly as if it had made the call itself. Callers that ask within
 * `windowMs` of each other share one request; a failed read fails every caller that shared it
 * (each retries as its step would).
 *
 * In-process only: after a restart the marks are gone and a caller's `notBefore` is the moment it
 * asks, which costs a read, never a stale answer.
 */
export class ConsolidationReads {
  private readonly windowMs: number;
  private readonly maxAgeMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** Scheduled reads that have not started: callers join them. */
  private readonly scheduled = new Map<string, Promise<Read<unknown>>>();
  /** The last finished read per key. */
  private readonly finished = new Map<string, Read<unknown>>();
  /** When an item's last write finished (monotonic ms): what its next read must be newer than. */
  private readonly writes = new Map<string, number>();
  private readonly invitations = new Map<string, Promise<string>>();

  constructor(
    private readonly clients: PartnerCenterClientFactory,
    options: ConsolidationReadsOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 50;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.maxKeys = options.maxKeys ?? 5_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Finished reads held for reuse (bounded by `maxAgeMs` and `maxKeys`; the bench reports it). */
  get held(): number {
    return this.finished.size;
  }

  /** Records that an item's write (order, suspension) just finished. */
  wrote(itemId: string): void {
    this.writes.delete(itemId);
    this.writes.set(itemId, this.now());
    trim(this.writes, this.maxKeys * 4);
  }

  /**
   * Records that an item decided on what it read (e.g. "still provisioning"): its next read must
   * start after now. Without it a recheck after the business clock jumped (hours of emulator time
   * in milliseconds of real time) was served the read it had already decided on.
   */
  decided(itemId: string): void {
    this.wrote(itemId);
  }

  /** The moment a read must have started after to serve this item (its last write, or now). */
  freshSince(itemId: string): number {
    return this.writes.get(itemId) ?? this.now();
  }

  /** Forgets an item's marks (it is done). */
  forget(itemId: string): void {
    this.writes.delete(itemId);
  }

  /**
   * The customer's subscriptions as `tenantId` sees them, read at or after `notBefore`; shared by
   * the callers of one workflow that ask for the same tenant and customer within the window.
   */
  subscriptions(
    workflowId: string,
    tenantId: string,
    customerId: string,
    notBefore: number,
  ): Promise<PcSubscription[]> {
    return this.shared(`subscriptions|${workflowId}|${tenantId}|${customerId}`, notBefore, () =>
      this.clients.forTenant(tenantId).listSubscriptions(customerId),
    );
  }

  /**
   * The source tenant's audit records of a customer from `startDate` on, read at or after
   * `notBefore` (the caller's suspension, so its own record is in the read, R-CON-5); shared by the
   * callers of one workflow that ask for the same tenant, customer and start day within the window.
   */
  auditRecords(
    workflowId: string,
    tenantId: string,
    customerId: string,
    startDate: string,
    notBefore: number,
  ): Promise<PcAuditRecord[]> {
    return this.shared(
      `audit|${workflowId}|${tenantId}|${customerId}|${startDate}`,
      notBefore,
      () => customerAuditRecords(this.clients.forTenant(tenantId), customerId, startDate),
    );
  }

  /**
   * A source tenant's GDAP relationships with a customer (Microsoft Graph), read now: the items
   * of one customer that check them together before their first write share one call.
   */
  gdapRelationships<T>(
    workflowId: string,
    tenantId: string,
    customerId: string,
    read: () => Promise<T>,
  ): Promise<T> {
    return this.shared(`gdap|${workflowId}|${tenantId}|${customerId}`, this.now(), read);
  }

  /** A finished read fresh enough for `notBefore`, else the next scheduled one (joined or new). */
  private async shared<T>(key: string, notBefore: number, read: () => Promise<T>): Promise<T> {
    const last = this.finished.get(key) as Read<T> | undefined;
    if (last && last.startedAt >= notBefore && this.now() - last.startedAt <= this.maxAgeMs) {
      return last.value;
    }
    let pending = this.scheduled.get(key) as Promise<Read<T>> | undefined;
    if (!pending) {
      pending = this.schedule(key, read);
      this.scheduled.set(key, pending);
    }
    return (await pending).value;
  }

  private async schedule<T>(key: string, request: () => Promise<T>): Promise<Read<T>> {
    await new Promise((resolve) => setTimeout(resolve, this.windowMs));
    // Started now: later callers schedule the next read (this one may predate their writes).
    this.scheduled.delete(key);
    const startedAt = this.now();
    const value = await request();
    const read = { startedAt, value };
    this.finished.delete(key);
    this.finished.set(key, read);
    trim(this.finished, this.maxKeys);
    this.dropExpired();
    return read;
  }

  /**
   * Drops finished reads past `maxAgeMs` (never served again) from the oldest on: without it a
   * 5,000-customer run kept 5,000 customers' subscription lists (maxKeys) in the heap long after
   * they were read (issue 20's memory target). Map order is finish order, close to start order.
   */
  private dropExpired(): void {
    const now = this.now();
    for (const [key, read] of this.finished) {
      if (now - read.startedAt <= this.maxAgeMs) {
        return;
      }
      this.finished.delete(key);
    }
  }

  /**
   * The target's reseller invitation URL (R-CON-2): the partner's, the same for every customer,
   * so read once per workflow and tenant (a failed read is not kept).
   */
  invitationUrl(workflowId: string, tenantId: string): Promise<string> {
    const key = `${workflowId}|${tenantId}`;
    let url = this.invitations.get(key);
    if (!url) {
      url = getRelationshipRequestUrl(this.clients.forTenant(tenantId));
      this.invitations.set(key, url);
      trim(this.invitations, this.maxKeys);
      url.catch(() => this.invitations.delete(key));
    }
    return url;
  }
}

/** Drops the oldest entries (Maps iterate in insertion order) down to `max`. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) {
      return;
    }
    map.delete(oldest.value);
  }
}
