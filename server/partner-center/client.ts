import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import { type PcAgreement, pcAgreementCollectionSchema } from './contracts/agreements.js';
import {
  nextContinuationToken,
  type pcCollectionSchema,
  pcErrorBodySchema,
  type PcCollection,
} from './contracts/common.js';
import {
  type PcCustomer,
  pcCustomerCollectionSchema,
  pcCustomerSchema,
} from './contracts/customers.js';
import {
  type PcAzureEntitlement,
  pcAzureEntitlementCollectionSchema,
  type PcSubscription,
  pcSubscriptionCollectionSchema,
  pcSubscriptionSchema,
} from './contracts/subscriptions.js';
import { isRetryableStatus, PartnerCenterError } from './errors.js';
import { abortableSleep, type TenantRateLimiter } from './rate-limiter.js';
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

/** A seedable uniform random source (mulberry32) for reproducible backoff jitter. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_SEEK_PAGES = 10_000;

/**
 * Partner Center REST client for one partner tenant (ARCHITECTURE "Layers"). Every response is
 * validated with its zod contract; failures become {@link PartnerCenterError}.
 */
export class PartnerCenterClient {
  readonly partnerTenantId: string;
  private readonly baseUrl: string;
  private readonly fetchFn: FetchLike;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: PartnerCenterClientOptions) {
    this.partnerTenantId = options.partnerTenantId;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? randomUUID;
  }

  // ---- resources ---------------------------------------------------------------------------

  /** One page of `GET /v1/customers` (seek paging). */
  async listCustomersPage(
    args: { size?: number; continuationToken?: string | null } = {},
    call: CallOptions = {},
  ): Promise<{ items: PcCustomer[]; continuationToken: string | null }> {
    const response = await this.request({
      ...call,
      method: 'GET',
      path: '/customers',
      query: {
        size: args.size ?? 500,
        ...(args.continuationToken ? { seekOperation: 'Next' } : {}),
      },
      headers: {
        ...call.headers,
        ...(args.continuationToken ? { 'MS-ContinuationToken': args.continuationToken } : {}),
      },
      schema: pcCustomerCollectionSchema,
    });
    return { items: response.data.items, continuationToken: nextContinuationToken(response.data) };
  }

  /** Every customer of the tenant, following continuation tokens. */
  async listAllCustomers(
    args: { size?: number } = {},
    call: CallOptions = {},
  ): Promise<PcCustomer[]> {
    return this.collectSeekPages((token) =>
      this.listCustomersPage({ size: args.size, continuationToken: token }, call),
    );
  }

  /** `GET /v1/customers/{id}` (full customer with billing profile). */
  async getCustomer(customerTenantId: string, call: CallOptions = {}): Promise<PcCustomer> {
    const response = await this.request({
      ...call,
      method: 'GET',
      path: `/customers/${encodeURIComponent(customerTenantId)}`,
      schema: pcCustomerSchema,
    });
    return response.data;
  }

  /** `GET /v1/customers/{cid}/subscriptions`, all pages. */
  async listSubscriptions(
    customerTenantId: string,
    call: CallOptions = {},
  ): Promise<PcSubscription[]> {
    return this.listCollection(
      `/customers/${encodeURIComponent(customerTenantId)}/subscriptions`,
      pcSubscriptionCollectionSchema,
      call,
    );
  }

  /** `GET /v1/customers/{cid}/subscriptions/{sid}`. */
  async getSubscription(
    customerTenantId: string,
    subscriptionId: string,
    call: CallOptions = {},
  ): Promise<PcSubscription> {
    const response = await this.request({
      ...call,
      method: 'GET',
      path: `/customers/${encodeURIComponent(customerTenantId)}/subscriptions/${encodeURIComponent(subscriptionId)}`,
      schema: pcSubscriptionSchema,
    });
    return response.data;
  }

  /** `GET /v1/customers/{cid}/subscriptions/{sid}/azureEntitlements`. */
  async listAzureEntitlements(
    customerTenantId: string,
    subscriptionId: string,
    call: CallOptions = {},
  ): Promise<PcAzureEntitlement[]> {
    return this.listCollection(
      `/customers/${encodeURIComponent(customerTenantId)}/subscriptions/${encodeURIComponent(subscriptionId)}/azureEntitlements`,
      pcAzureEntitlementCollectionSchema,
      call,
    );
  }

  /** `GET /v1/customers/{cid}/agreements?agreementType=…`. */
  async listCustomerAgreements(
    customerTenantId: string,
    agreementType: 'MicrosoftCustomerAgreement' | 'MicrosoftCloudAgreement' | undefined,
    call: CallOptions = {},
  ): Promise<PcAgreement[]> {
    return this.listCollection(
      `/customers/${encodeURIComponent(customerTenantId)}/agreements`,
      pcAgreementCollectionSchema,
      call,
      agreementType ? { agreementType } : {},
    );
  }

  // ---- generic -----------------------------------------------------------------------------

  /**
   * GETs a collection and follows `links.next` continuation tokens until the last page (seek
   * paging, reference §1 "Pagination").
   */
  async listCollection<S extends ReturnType<typeof pcCollectionSchema>>(
    path: string,
    schema: S,
    call: CallOptions = {},
    query: Record<string, string | number | undefined> = {},
  ): Promise<z.infer<S>['items']> {
    return this.collectSeekPages(async (token) => {
      const response = await this.request({
        ...call,
        method: 'GET',
        path,
        query: { ...query, ...(token ? { seekOperation: 'Next' } : {}) },
        headers: { ...call.headers, ...(token ? { 'MS-ContinuationToken': token } : {}) },
        schema,
      });
      const data = response.data as PcCollection<unknown>;
      return { items: data.items, continuationToken: nextContinuationToken(data) };
    }) as Promise<z.infer<S>['items']>;
  }

  /** Runs `fetchPage` from the first page until no continuation token is returned. */
  async collectSeekPages<T>(
    fetchPage: (
      continuationToken: string | null,
    ) => Promise<{ items: T[]; continuationToken: string | null }>,
  ): Promise<T[]> {
    const all: T[] = [];
    const seen = new Set<string>();
    let token: string | null = null;
    for (let page = 0; page < MAX_SEEK_PAGES; page++) {
      const result = await fetchPage(token);
      all.push(...result.items);
      if (!result.continuationToken || seen.has(result.continuationToken)) {
        return all;
      }
      seen.add(result.continuationToken);
      token = result.continuationToken;
    }
    throw new Error(`Partner Center seek paging exceeded ${MAX_SEEK_PAGES} pages`);
  }

  /**
   * One logical call: admission through the tenant limiter, then attempts with retries on 429
   * (after `Retry-After`), 5xx, network errors and timeouts (capped exponential backoff, full
   * jitter). Returns the validated body or throws {@link PartnerCenterError}.
   */
  async request<S extends z.ZodTypeAny = z.ZodUnknown>(
    spec: RequestSpec<S>,
  ): Promise<PcResponse<z.infer<S>>> {
    const prefix = this.options.pathPrefix ?? '/v1';
    const path =
      prefix === '' || spec.path.startsWith(`${prefix}/`)
        ? spec.path
        : `${prefix}${spec.path.startsWith('/') ? '' : '/'}${spec.path}`;
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    const operation = `${spec.method} ${url.pathname}`;
    const correlationId = spec.correlationId ?? this.newId();
    let requestId = spec.requestId ?? this.newId();

    for (let attempt = 1; ; attempt++) {
      let outcome: { response: PcResponse<z.infer<S>> } | { error: PartnerCenterError };
      const permit = this.options.limiter
        ? await this.options.limiter.acquire(this.partnerTenantId, spec.signal)
        : undefined;
      try {
        outcome = await this.attempt(spec, url, operation, requestId, correlationId);
      } finally {
        permit?.release();
        if (spec.method !== 'GET') {
          this.options.onWrite?.({
            partnerTenantId: this.partnerTenantId,
            method: spec.method,
            path,
          });
        }
      }
      if ('response' in outcome) {
        return outcome.response;
      }
      const error = outcome.error;
      if (!error.retryable || attempt >= this.retry.maxAttempts || spec.signal?.aborted) {
        throw error;
      }
      let delay = this.backoff(attempt);
      if (error.status === 429 && error.retryAfterSeconds !== undefined) {
        const retryAfterMs = error.retryAfterSeconds * 1000;
        if (retryAfterMs > this.retry.maxRetryAfterMs) {
          throw error;
        }
        delay = Math.max(retryAfterMs, delay);
      }
      this.options.logger?.warn(
        {
          operation,
          status: error.status,
          code: error.code,
          attempt,
          delayMs: delay,
          requestId,
          correlationId,
        },
        'partner center call failed; retrying',
      );
      // A response means Partner Center saw the request: a caller-less id is renewed (reference §1).
      if (!spec.requestId && error.status !== 0) {
        requestId = this.newId();
      }
      await this.sleep(delay, spec.signal);
    }
  }

  /** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^(attempt-1))]. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  private async attempt<S extends z.ZodTypeAny>(
    spec: RequestSpec<S>,
    url: URL,
    operation: string,
    requestId: string,
    correlationId: string,
  ): Promise<{ response: PcResponse<z.infer<S>> } | { error: PartnerCenterError }> {
    const base = { operation, requestId, correlationId };
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('Partner Center call timed out', 'TimeoutError')),
      timeoutMs,
    );
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout.signal]) : timeout.signal;
    try {
      const token = await this.options.tokenProvider.getToken(this.partnerTenantId, signal);
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        'MS-RequestId': requestId,
        'MS-CorrelationId': correlationId,
        'MS-Contract-Version': 'v1',
        ...(this.options.applicationName
          ? { 'MS-PartnerCenter-Application': this.options.applicationName }
          : {}),
        ...(spec.ifMatch ? { 'If-Match': spec.ifMatch } : {}),
        ...spec.headers,
      };
      if (spec.body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      let response: Response;
      let text: string;
      try {
        response = await this.fetchFn(url.toString(), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal,
        });
        text = await response.text();
      } catch (cause) {
        if (spec.signal?.aborted) {
          throw cause; // the caller gave up: not a Partner Center failure
        }
        const timedOut = timeout.signal.aborted;
        return {
          error: new PartnerCenterError({
            ...base,
            status: 0,
            code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
            description: timedOut
              ? `no response within ${timeoutMs} ms`
              : cause instanceof Error
                ? cause.message
                : String(cause),
            retryable: true,
            cause,
          }),
        };
      }
      this.options.logger?.debug(
        { operation, status: response.status, requestId, correlationId },
        'partner center call',
      );
      if (!response.ok) {
        return { error: this.errorFromResponse(response, text, base) };
      }
      if (!spec.schema) {
        return {
          response: {
            data: undefined as z.infer<S>,
            status: response.status,
            headers: response.headers,
            requestId,
            correlationId,
          },
        };
      }
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch (cause) {
        return {
          error: new PartnerCenterError({
            ...base,
            status: response.status,
            code: 'INVALID_RESPONSE',
            description: 'response body is not valid JSON',
            retryable: spec.method === 'GET',
            cause,
          }),
        };
      }
      const parsed = spec.schema.safeParse(json);
      if (!parsed.success) {
        return {
          error: new PartnerCenterError({
            ...base,
            status: response.status,
            code: 'INVALID_RESPONSE',
            description: `response does not match the contract: ${parsed.error.issues
              .slice(0, 3)
              .map((i) => `${i.path.join('.')}: ${i.message}`)
              .join('; ')}`,
            retryable: false,
            cause: parsed.error,
          }),
        };
      }
      return {
        response: {
          data: parsed.data,
          status: response.status,
          headers: response.headers,
          requestId,
          correlationId,
        },
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private errorFromResponse(
    response: Response,
    text: string,
    base: { operation: string; requestId: string; correlationId: string },
  ): PartnerCenterError {
    let code = String(response.status);
    let description = response.statusText || 'Partner Center error';
    try {
      const parsed = pcErrorBodySchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        code = parsed.data.code !== undefined ? String(parsed.data.code) : code;
        description = parsed.data.description ?? parsed.data.message ?? description;
        // Azure Resource Manager nests its error: {"error":{"code":"AuthorizationFailed","message":…}}.
        const arm = parsed.data.error as { code?: unknown; message?: unknown } | undefined;
        if (arm && typeof arm === 'object') {
          code = typeof arm.code === 'string' ? arm.code : code;
          description = typeof arm.message === 'string' ? arm.message : description;
        }
      }
    } catch {
      // Not JSON (e.g. a proxy's HTML page): keep the status as the code.
    }
    const retryAfterHeader = response.headers.get('retry-after');
    const retryAfterSeconds = parseRetryAfter(retryAfterHeader);
    return new PartnerCenterError({
      ...base,
      correlationId: response.headers.get('ms-correlationid') ?? base.correlationId,
      status: response.status,
      code,
      description,
      retryable: isRetryableStatus(response.status),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
}

/** `Retry-After` as seconds (delta-seconds form; an HTTP date is converted against now). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
