import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import {
  type CallOptions,
  DEFAULT_RETRY_POLICY,
  type FetchLike,
  type PartnerCenterClientOptions,
  type PcResponse,
  type RequestSpec,
  type RetryPolicy,
} from './client-options.js';
import { type PcAgreement, pcAgreementCollectionSchema } from './contracts/agreements.js';
import {
  nextContinuationToken,
  type pcCollectionSchema,
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
import { type PartnerCenterError } from './errors.js';
import { abortableSleep } from './rate-limiter.js';
import { fullJitterBackoff } from './retries.js';
import { collectSeekPages } from './seek-paging.js';
import { attemptRequest } from './transport.js';

export {
  type CallOptions,
  type ClientLogger,
  DEFAULT_RETRY_POLICY,
  type FetchLike,
  type PartnerCenterClientOptions,
  type PcResponse,
  type RequestSpec,
  type RetryPolicy,
} from './client-options.js';
export { seededRandom } from './retries.js';

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

  /**
   * Partner Center roles named by the caller's token (`roles` claim of an App+User token), or null
   * when it names none (an app token: Partner Center decides per call). Pre-flights read it to
   * report "Admin agent needed" before any write (§11: transfers need the Admin agent role).
   */
  async callerRoles(): Promise<string[] | null> {
    const token = await this.options.tokenProvider.getToken(this.partnerTenantId);
    const payload = token.split('.')[1];
    if (!payload) {
      return null;
    }
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        roles?: unknown;
      };
      if (claims.roles === undefined || claims.roles === null) {
        return null;
      }
      return (Array.isArray(claims.roles) ? claims.roles : [claims.roles]).map(String);
    } catch {
      return null;
    }
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
    return collectSeekPages(fetchPage);
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
        outcome = await attemptRequest(
          {
            partnerTenantId: this.partnerTenantId,
            tokenProvider: this.options.tokenProvider,
            fetch: this.fetchFn,
            timeoutMs: this.options.timeoutMs,
            applicationName: this.options.applicationName,
            serviceName: this.options.serviceName,
            logger: this.options.logger,
          },
          spec,
          url,
          operation,
          requestId,
          correlationId,
        );
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
      let delay = fullJitterBackoff(this.retry, this.random, attempt);
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
}
