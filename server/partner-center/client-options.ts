import { type z } from 'zod';
import { type TenantRateLimiter } from './rate-limiter.js';
import { type TokenProvider } from './token-provider.js';

/** A `fetch`-compatible function (global fetch, `emulator.fetch`, msw). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Minimal logger surface (pino's `Logger` satisfies it). */
export interface ClientLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RetryPolicy {
  /** Attempts in total, first one included. */
  maxAttempts: number;
  /** Base of the exponential backoff (attempt n waits up to base * 2^(n-1)). */
  baseDelayMs: number;
  /** Cap of a single backoff delay. */
  maxDelayMs: number;
  /** A 429 whose `Retry-After` is longer than this is not waited for; the error is thrown (retryable). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

export interface PartnerCenterClientOptions {
  /** Partner Center root without `/v1`, e.g. `https://api.partnercenter.microsoft.com` or the emulator's URL. */
  baseUrl: string;
  /** The partner tenant this client acts for (its tokens carry this `tid`). */
  partnerTenantId: string;
  tokenProvider: TokenProvider;
  fetch?: FetchLike;
  /** Shared per-tenant concurrency + rate limiter; none means unlimited. */
  limiter?: TenantRateLimiter;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; inject a fake for fast tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform [0,1) source for backoff jitter; see {@link seededRandom}. */
  random?: () => number;
  /** Id generator for `MS-RequestId`/`MS-CorrelationId` (default random UUID). */
  newId?: () => string;
  logger?: ClientLogger;
  /** Sent as `MS-PartnerCenter-Application`. */
  applicationName?: string;
  /** The service's name in network-error messages (default "Partner Center"). */
  serviceName?: string;
  /**
   * Prefix of every request path: `/v1` for Partner Center; empty for Azure Resource Manager,
   * which reuses this client's retries, limiter and error handling (server/azure-rm).
   */
  pathPrefix?: string;
  /**
   * Told of every write attempted (any method but GET, whatever its outcome: a timed-out write may
   * have happened), with the path under the prefix; the read cache invalidates there.
   */
  onWrite?: (write: { partnerTenantId: string; method: string; path: string }) => void;
}

/** Per-call options. */
export interface CallOptions {
  /**
   * `MS-RequestId`: Partner Center's idempotency key. Pass a deterministic one to make a create safe
   * to repeat (the workflow engine does); it is reused on every retry. Without one, a fresh id is
   * made per call, reused after a timeout or network error and renewed after any response, as the
   * Partner Center docs say.
   */
  requestId?: string;
  /** `MS-CorrelationId` (tracing); default one fresh id per call, shared by its retries. */
  correlationId?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** `If-Match` etag for updates. */
  ifMatch?: string;
}

export interface RequestSpec<S extends z.ZodTypeAny> extends CallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/v1`, e.g. `/customers`; a leading `/v1` is accepted too. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Contract of the 2xx body; omitted for empty responses. */
  schema?: S;
}

export interface PcResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  requestId: string;
  correlationId: string;
}
