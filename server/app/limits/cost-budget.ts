/**
 * A per-principal query-cost budget (a leaky bucket, as Shopify's Admin API): each principal has
 * `capacity` points that flow back at `restorePerSecond`; an operation takes its requested cost up
 * front and gets back the difference to its actual cost afterwards.
 *
 * Behind this small interface so the bucket can move into the shared database when the API runs as
 * several replicas (the in-memory one counts per process).
 */
export interface CostBudget {
  readonly capacity: number;
  readonly restorePerSecond: number;
  /** Takes `cost` points if available; otherwise takes nothing and says when to retry. */
  take(principal: string, cost: number): BudgetDecision;
  /** Gives points back (requested minus actual cost); never above capacity. */
  refund(principal: string, points: number): number;
  /** Points available now. */
  available(principal: string): number;
}

export type BudgetDecision =
  { ok: true; remaining: number } | { ok: false; remaining: number; retryAfterSeconds: number };

interface Bucket {
  level: number;
  at: number;
}

/** In-process leaky bucket; `now` in milliseconds of wall time (never the business clock). */
export class InMemoryCostBudget implements CostBudget {
  private readonly buckets = new Map<string, Bucket>();
  readonly capacity: number;
  readonly restorePerSecond: number;
  private readonly now: () => number;

  constructor(options: { capacity: number; restorePerSecond: number; now?: () => number }) {
    this.capacity = options.capacity;
    this.restorePerSecond = options.restorePerSecond;
    this.now = options.now ?? (() => performance.now());
  }

  private bucket(principal: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(principal);
    if (!bucket) {
      const fresh = { level: this.capacity, at: now };
      this.buckets.set(principal, fresh);
      this.evictFull(now);
      return fresh;
    }
    const restored = ((now - bucket.at) / 1000) * this.restorePerSecond;
    bucket.level = Math.min(this.capacity, bucket.level + restored);
    bucket.at = now;
    return bucket;
  }

  /** Full buckets carry no information; drop them now and then so the map stays small. */
  private evictFull(now: number): void {
    if (this.buckets.size < 10_000) {
      return;
    }
    for (const [key, b] of this.buckets) {
      if (b.level + ((now - b.at) / 1000) * this.restorePerSecond >= this.capacity) {
        this.buckets.delete(key);
      }
    }
  }

  take(principal: string, cost: number): BudgetDecision {
    const bucket = this.bucket(principal);
    if (cost <= bucket.level) {
      bucket.level -= cost;
      return { ok: true, remaining: Math.floor(bucket.level) };
    }
    const missing = cost - bucket.level;
    return {
      ok: false,
      remaining: Math.floor(bucket.level),
      retryAfterSeconds: Math.max(1, Math.ceil(missing / this.restorePerSecond)),
    };
  }

  refund(principal: string, points: number): number {
    const bucket = this.bucket(principal);
    if (points > 0) {
      bucket.level = Math.min(this.capacity, bucket.level + points);
    }
    return Math.floor(bucket.level);
  }

  available(principal: string): number {
    return Math.floor(this.bucket(principal).level);
  }
}
