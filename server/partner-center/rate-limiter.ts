/**
 * Per-partner-tenant admission control for Partner Center calls: a concurrency limit (at most N calls
 * in flight) and a token bucket (at most R calls per minute, bursts up to the bucket size). One
 * instance is shared by every client of the process (API and workflow engine), so the tenant's
 * budget is counted once. Time is real (monotonic) time, injectable for tests.
 */
export interface RateLimiterOptions {
  /** Calls in flight per tenant. */
  concurrency: number;
  /** Sustained calls per minute per tenant (Partner Center documents 500/min for customers and subscriptions). */
  ratePerMinute: number;
  /** Bucket size (burst); defaults to `ratePerMinute`. */
  burst?: number;
  /** Monotonic milliseconds; default `performance.now()`. */
  now?: () => number;
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A held slot; call `release()` exactly once when the call finished. */
export interface Permit {
  release(): void;
}

export interface TenantRateLimiter {
  /** Waits for a concurrency slot and a token for `tenantId`. */
  acquire(tenantId: string, signal?: AbortSignal): Promise<Permit>;
  /** Current state for a tenant (tests, metrics). */
  inspect(tenantId: string): { inFlight: number; queued: number; tokens: number };
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface TenantState {
  inFlight: number;
  waiters: Array<() => void>;
  tokens: number;
  refilledAt: number;
}

export function createTenantRateLimiter(options: RateLimiterOptions): TenantRateLimiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const capacity = options.burst ?? options.ratePerMinute;
  const perMs = options.ratePerMinute / 60_000;
  const tenants = new Map<string, TenantState>();

  const state = (tenantId: string): TenantState => {
    let s = tenants.get(tenantId);
    if (!s) {
      s = { inFlight: 0, waiters: [], tokens: capacity, refilledAt: now() };
      tenants.set(tenantId, s);
    }
    return s;
  };

  const refill = (s: TenantState) => {
    const t = now();
    s.tokens = Math.min(capacity, s.tokens + (t - s.refilledAt) * perMs);
    s.refilledAt = t;
  };

  const releaseSlot = (s: TenantState) => {
    const next = s.waiters.shift();
    if (next) {
      next(); // hands the slot over: inFlight stays the same
    } else {
      s.inFlight--;
    }
  };

  const slot = (s: TenantState, signal?: AbortSignal): Promise<void> => {
    if (s.inFlight < options.concurrency) {
      s.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = s.waiters.indexOf(waiter);
        if (i >= 0) {
          s.waiters.splice(i, 1);
        }
        reject(signal?.reason);
      };
      s.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    async acquire(tenantId, signal) {
      const s = state(tenantId);
      await slot(s, signal);
      try {
        for (;;) {
          refill(s);
          if (s.tokens >= 1) {
            s.tokens -= 1;
            break;
          }
          await sleep(Math.ceil((1 - s.tokens) / perMs), signal);
        }
      } catch (error) {
        releaseSlot(s);
        throw error;
      }
      let released = false;
      return {
        release() {
          if (!released) {
            released = true;
            releaseSlot(s);
          }
        },
      };
    },
    inspect(tenantId) {
      const s = state(tenantId);
      refill(s);
      return { inFlight: s.inFlight, queued: s.waiters.length, tokens: s.tokens };
    },
  };
}
