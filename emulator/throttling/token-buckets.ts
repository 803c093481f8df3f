import type { ThrottleFamily } from '../http/router.js';

/**
 * Throttling model (partner-center-api.md §1 "Throttling", §10): token buckets per partner tenant,
 * or per partner + customer tenant where Partner Center counts that way. Defaults are the
 * documented 500 requests/minute on customers and subscriptions. A 429 carries `Retry-After` in
 * whole seconds; a client that comes back before that instant is recorded (Dev Proxy's
 * RetryAfterPlugin idea) and refused again.
 */
export interface ThrottleLimit {
  limit: number;
  windowSeconds: number;
  per: 'partner' | 'partner_customer';
}

export interface ThrottlingOptions {
  enabled?: boolean;
  /** Per-family limits; `null` disables a family. Merged over the defaults. */
  limits?: Partial<Record<Exclude<ThrottleFamily, 'none'>, ThrottleLimit | null>>;
  /** Divides every window: 60 turns "per minute" into "per second" for benchmarks. */
  timeScale?: number;
  /** `real` (default): wall-clock time, as clients really wait; `virtual`: the emulator clock. */
  timeSource?: 'real' | 'virtual';
}

export const DEFAULT_LIMITS: Record<Exclude<ThrottleFamily, 'none'>, ThrottleLimit | null> = {
  customers: { limit: 500, windowSeconds: 60, per: 'partner' },
  // [U] "500 requests per minute per tenant id": we count per partner + customer pair.
  subscriptions: { limit: 500, windowSeconds: 60, per: 'partner_customer' },
  orders: { limit: 500, windowSeconds: 60, per: 'partner_customer' },
  product_upgrades: { limit: 500, windowSeconds: 60, per: 'partner' },
  agreements: null,
  offers: null,
  service_requests: null,
  audit_records: null,
  arm: null,
  // Graph's GDAP limits and the invoice API's are not documented: off unless configured.
  graph: null,
  invoices: null,
  // [U] `GET .../transfers` is listed as throttled without a number: the subscriptions figure.
  transfers: { limit: 500, windowSeconds: 60, per: 'partner_customer' },
  migrations: null,
  // §9b / §10: create 100 per partner per 5 min; validate 450 per partner-customer pair per 5 min.
  migration_create: { limit: 100, windowSeconds: 300, per: 'partner' },
  migration_validate: { limit: 450, windowSeconds: 300, per: 'partner_customer' },
};

export interface RetryAfterViolation {
  tenantId: string;
  bucket: string;
  method: string;
  path: string;
  requestId: string | null;
  /** How early the retry came, in milliseconds. */
  earlyByMs: number;
  at: string;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export type ThrottleDecision =
  { ok: true } | { ok: false; retryAfterSeconds: number; bucket: string };

export class Throttler {
  private readonly buckets = new Map<string, Bucket>();
  private readonly retryNotBefore = new Map<string, number>();
  readonly violations: RetryAfterViolation[] = [];
  private options: Required<Omit<ThrottlingOptions, 'limits'>> & {
    limits: Record<Exclude<ThrottleFamily, 'none'>, ThrottleLimit | null>;
  };

  constructor(
    options: ThrottlingOptions | undefined,
    private readonly virtualNow: () => number,
  ) {
    this.options = Throttler.resolve(options);
  }

  static resolve(options: ThrottlingOptions | undefined): Throttler['options'] {
    return {
      enabled: options?.enabled ?? true,
      timeScale: options?.timeScale ?? 1,
      timeSource: options?.timeSource ?? 'real',
      limits: { ...DEFAULT_LIMITS, ...(options?.limits ?? {}) },
    };
  }

  configure(options: ThrottlingOptions): void {
    this.options = Throttler.resolve({
      ...this.options,
      ...options,
      limits: { ...this.options.limits, ...(options.limits ?? {}) },
    });
    this.buckets.clear();
  }

  config(): ThrottlingOptions {
    return structuredClone(this.options);
  }

  reset(): void {
    this.buckets.clear();
    this.retryNotBefore.clear();
    this.violations.length = 0;
  }

  nowMs(): number {
    return this.options.timeSource === 'virtual'
      ? this.virtualNow()
      : performance.timeOrigin + performance.now();
  }

  bucketKey(
    family: ThrottleFamily,
    tenantId: string,
    customerTenantId: string | null,
  ): string | undefined {
    if (family === 'none') {
      return undefined;
    }
    const limit = this.options.limits[family];
    if (!limit) {
      return undefined;
    }
    return limit.per === 'partner_customer' && customerTenantId
      ? `${family}:${tenantId}:${customerTenantId}`
      : `${family}:${tenantId}`;
  }

  /** Takes a token; on failure returns the Retry-After in seconds. */
  take(
    family: ThrottleFamily,
    tenantId: string,
    customerTenantId: string | null,
  ): ThrottleDecision {
    if (!this.options.enabled || family === 'none') {
      return { ok: true };
    }
    const limit = this.options.limits[family];
    const key = this.bucketKey(family, tenantId, customerTenantId);
    if (!limit || !key) {
      return { ok: true };
    }
    const windowMs = (limit.windowSeconds * 1000) / this.options.timeScale;
    const ratePerMs = limit.limit / windowMs;
    const now = this.nowMs();
    const b = this.buckets.get(key) ?? { tokens: limit.limit, updatedMs: now };
    b.tokens = Math.min(limit.limit, b.tokens + (now - b.updatedMs) * ratePerMs);
    b.updatedMs = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    const waitMs = (1 - b.tokens) / ratePerMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), bucket: key };
  }

  /** Remembers that `key` was told to wait. */
  noteRetryAfter(key: string, seconds: number): void {
    this.retryNotBefore.set(key, this.nowMs() + seconds * 1000);
  }

  /** Records a violation when a client comes back on `key` before its Retry-After passed. */
  checkEarlyRetry(
    key: string,
    info: { tenantId: string; method: string; path: string; requestId: string | null; at: string },
  ): boolean {
    const notBefore = this.retryNotBefore.get(key);
    if (notBefore === undefined) {
      return false;
    }
    const now = this.nowMs();
    if (now >= notBefore) {
      this.retryNotBefore.delete(key);
      return false;
    }
    this.violations.push({ ...info, bucket: key, earlyByMs: Math.round(notBefore - now) });
    return true;
  }
}
