import type { EmulatorRuntime } from '../core/runtime.js';
import type { FaultRegistry, FaultRuleState } from '../faults/fault-registry.js';
import type { Throttler } from '../throttling/token-buckets.js';
import { readToken } from './auth.js';
import { toGraphShape } from './graph-responses.js';
import type { Journal } from './journal.js';
import { json, pcError, PcHttpError } from './responses.js';
import {
  makeBaseRequest,
  type ControlRoute,
  type PcRequest,
  type PcRoute,
  type Router,
} from './router.js';

export interface PipelineDeps {
  rt: EmulatorRuntime;
  pcRoutes: Router<PcRoute>;
  controlRoutes: Router<ControlRoute>;
  faults: FaultRegistry;
  throttler: Throttler;
  journal: Journal;
}

type Scope = 'pc' | 'arm' | 'graph' | 'control';

/** Maps any origin onto the emulator's path space; ARM at management.azure.com becomes `/arm/...`. */
export function normalisePath(url: URL): string {
  let path = url.pathname.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) {
    path = path.slice(0, -1);
  }
  if (url.hostname.toLowerCase() === 'management.azure.com') {
    path = `/arm${path}`;
  }
  if (url.hostname.toLowerCase() === 'graph.microsoft.com') {
    path = `/graph${path}`;
  }
  return path;
}

function scopeOf(path: string): Scope {
  const lower = path.toLowerCase();
  if (lower === '/_emulator' || lower.startsWith('/_emulator/')) {
    return 'control';
  }
  if (lower === '/arm' || lower.startsWith('/arm/')) {
    return 'arm';
  }
  if (lower === '/graph' || lower.startsWith('/graph/')) {
    return 'graph';
  }
  return 'pc';
}

function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json({ error: { code, message } }, status, headers);
}

/** Waits `ms`, or less if the request is aborted; resolves true when aborted. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(true);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function headerPairs(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((v, k) => out.push([k, v]));
  return out;
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  if (res.type === 'error') {
    return res;
  }
  const h = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) {
    h.set(k, v);
  }
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: h });
}

const DEFAULT_FAULT_CODES: Record<number, number> = {
  400: 800002,
  401: 800001,
  403: 400,
  404: 1000,
  409: 800060,
  412: 2055,
  500: 800003,
  502: 800003,
  503: 800003,
  504: 800003,
};

/**
 * A method Partner Center does not serve on a path: 405 with the ASP.NET Web API message, an
 * `Allow`-less Partner Center error body and the generic invalid-request code 800002 (a guess,
 * README "Where we guessed"), never a bare `code: 405`.
 */
function unsupportedMethod(method: string, pathname: string): Response {
  return pcError(
    405,
    800002,
    `The requested resource ${pathname} does not support http method '${method}'.`,
  );
}

function throttledResponse(seconds: number): Response {
  // Body as in the throttling guidance example (partner-center-api.md §1 "Throttling").
  return json(
    { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
    429,
    { 'Retry-After': String(seconds) },
  );
}

/**
 * The one request pipeline behind msw handlers, `emulator.fetch` and the standalone server:
 * faults → auth → route → throttling → MS-RequestId replay → handler → due actions → journal.
 * It never throws: unexpected errors become a Partner Center 500 (800003).
 */
export class Pipeline {
  private correlationSeq = 0;

  constructor(private readonly deps: PipelineDeps) {}

  private nextCorrelationId(): string {
    this.correlationSeq += 1;
    return `00000000-0000-4000-8000-${this.correlationSeq.toString(16).padStart(12, '0')}`;
  }

  async dispatch(request: Request): Promise<Response> {
    const res = await this.dispatchAny(request);
    // Microsoft Graph (GDAP) answers every error in its own shape.
    return scopeOf(normalisePath(new URL(request.url))) === 'graph' ? toGraphShape(res) : res;
  }

  private async dispatchAny(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = normalisePath(url);
    const scope = scopeOf(path);
    const correlationId = request.headers.get('MS-CorrelationId') ?? this.nextCorrelationId();
    const requestId = request.headers.get('MS-RequestId');
    const method = request.method.toUpperCase();
    const bodyText = method === 'GET' || method === 'HEAD' ? '' : await request.text();
    if (scope === 'control') {
      return this.control(request, url, path, method, bodyText, correlationId, requestId);
    }
    const { rt, journal, throttler } = this.deps;
    const started = performance.now();
    const entry = {
      seq: journal.nextSeq(),
      time: rt.nowIso(),
      method,
      path: `${path}${url.search}`,
      tenantId: null as string | null,
      customerTenantId: /^\/v1\/customers\/([^/]+)/i.exec(path)?.[1] ?? null,
      status: 0,
      requestId,
      correlationId,
      faultId: null as string | null,
      throttled: false,
      replayed: false,
      earlyRetry: false,
      durationMs: 0,
    };
    if (entry.customerTenantId?.toLowerCase() === 'relationshiprequests') {
      entry.customerTenantId = null;
    }
    const token = readToken(
      request.headers.get('Authorization'),
      rt.options.auth.verifySignature ? { secret: rt.options.auth.secret } : undefined,
    );
    entry.tenantId = token.ok ? token.claims.tid : null;
    const echo = { 'MS-CorrelationId': correlationId, 'MS-RequestId': requestId ?? correlationId };
    const finish = (res: Response): Response => {
      entry.status = res.type === 'error' ? 0 : res.status;
      entry.durationMs = Math.round(performance.now() - started);
      journal.add(entry);
      rt.runDue();
      return withHeaders(res, echo);
    };

    // Early-retry check for a fault-injected 429 on this exact operation.
    const faultKey = `fault:${entry.tenantId ?? '-'}:${method}:${path.toLowerCase()}`;
    if (entry.tenantId) {
      entry.earlyRetry = throttler.checkEarlyRetry(faultKey, {
        tenantId: entry.tenantId,
        method,
        path,
        requestId,
        at: entry.time,
      });
    }

    const fault = this.deps.faults.take({
      method,
      paths: [path, url.pathname],
      tenantId: entry.tenantId,
      customerTenantId: entry.customerTenantId,
    });
    if (fault) {
      entry.faultId = fault.id;
      const faulted = await this.applyFault(fault, request, scope);
      if (faulted) {
        if (faulted.status === 429 && entry.tenantId) {
          throttler.noteRetryAfter(faultKey, Number(faulted.headers.get('Retry-After') ?? '0'));
        }
        return finish(faulted);
      }
    }

    if (!token.ok) {
      return finish(
        scope === 'arm'
          ? armError(
              401,
              'AuthenticationFailed',
              'Authentication failed. The Authorization header is missing or invalid.',
            )
          : token.reason === 'missing'
            ? pcError(
                401,
                800001,
                'Partner token is missing. Send "Authorization: Bearer <token>".',
                [],
                {
                  'WWW-Authenticate': 'Bearer realm="https://api.partnercenter.microsoft.com"',
                },
              )
            : pcError(401, 400, 'Access denied: the bearer token could not be validated.'),
      );
    }
    const tenant = rt.store.partners.get(token.claims.tid);
    if (!tenant) {
      return finish(
        scope === 'arm'
          ? armError(
              401,
              'InvalidAuthenticationTokenTenant',
              `The tenant ${token.claims.tid} is not known.`,
            )
          : pcError(
              401,
              400,
              `Access denied: ${token.claims.tid} is not a Partner Center partner tenant.`,
            ),
      );
    }

    const matched = this.deps.pcRoutes.match(method, path);
    if (matched === undefined || matched === 'methodMismatch') {
      if (scope === 'arm') {
        return finish(
          armError(
            404,
            'NotFound',
            `No HTTP resource was found that matches ${method} ${url.pathname}.`,
          ),
        );
      }
      return finish(
        matched === 'methodMismatch'
          ? unsupportedMethod(method, url.pathname)
          : pcError(404, 1000, `The requested resource ${url.pathname} was not found.`),
      );
    }
    const { route, params } = matched;
    const customerForThrottle = route.customerParam ? (params[route.customerParam] ?? null) : null;

    const bucket = throttler.bucketKey(route.family, tenant.tenantId, customerForThrottle);
    if (bucket) {
      const early = throttler.checkEarlyRetry(bucket, {
        tenantId: tenant.tenantId,
        method,
        path,
        requestId,
        at: entry.time,
      });
      entry.earlyRetry = entry.earlyRetry || early;
    }
    const decision = throttler.take(route.family, tenant.tenantId, customerForThrottle);
    if (!decision.ok) {
      entry.throttled = true;
      throttler.noteRetryAfter(decision.bucket, decision.retryAfterSeconds);
      return finish(throttledResponse(decision.retryAfterSeconds));
    }

    const idemKey =
      method !== 'GET' && requestId
        ? `${tenant.tenantId}|${method}|${path.toLowerCase()}|${requestId}`
        : undefined;
    const cached = idemKey ? rt.store.idempotency.get(idemKey) : undefined;
    if (cached) {
      entry.replayed = true;
      return finish(
        new Response(cached.body === '' ? null : cached.body, {
          status: cached.status,
          headers: cached.headers,
        }),
      );
    }

    const base = makeBaseRequest(
      rt,
      request,
      url,
      path,
      params,
      bodyText,
      correlationId,
      requestId,
    );
    const pcReq: PcRequest = {
      ...base,
      tenant,
      actor: {
        partnerTenantId: tenant.tenantId,
        userPrincipalName: `admin@${tenant.domain}`,
        applicationId:
          typeof token.claims.appid === 'string' ? token.claims.appid : 'csp-migrations',
        correlationId,
      },
    };
    let res: Response;
    try {
      res = await route.handle(pcReq);
    } catch (err) {
      res = this.errorResponse(err);
    }
    if (idemKey && res.status >= 200 && res.status < 300) {
      const body = await res.clone().text();
      rt.store.idempotency.set(idemKey, {
        key: idemKey,
        status: res.status,
        headers: headerPairs(res.headers),
        body,
        createdAt: rt.nowIso(),
      });
    }
    const out = finish(res);
    if (method !== 'GET' && res.status < 300) {
      rt.notifyChange();
    }
    return out;
  }

  private errorResponse(err: unknown): Response {
    if (err instanceof PcHttpError) {
      return pcError(err.status, err.code, err.description, err.data, err.headers);
    }
    const message = err instanceof Error ? err.message : String(err);
    return pcError(500, 800003, `Unexpected error in the emulator: ${message}`);
  }

  private async applyFault(
    fault: FaultRuleState,
    request: Request,
    scope: Scope,
  ): Promise<Response | undefined> {
    const signal = request.signal;
    if (fault.latencyMs) {
      if (await sleep(fault.latencyMs, signal)) {
        return Response.error();
      }
    }
    const kind = fault.kind ?? (fault.status !== undefined ? 'error' : 'latency');
    switch (kind) {
      case 'latency':
        return undefined;
      case 'reset':
        return Response.error();
      case 'hang': {
        const aborted = await sleep(fault.hangMs ?? this.deps.rt.options.hangMs, signal);
        return aborted
          ? Response.error()
          : pcError(504, 800003, 'The request timed out (injected hang).');
      }
      case 'malformed':
        return new Response('{"totalCount":1,"items":[{"id":"', {
          status: fault.status ?? 200,
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
        });
      case 'error': {
        const status = fault.status ?? 500;
        if (status === 429) {
          const seconds = fault.retryAfterSeconds ?? 10;
          if (fault.code === undefined) {
            return throttledResponse(seconds);
          }
          return pcError(429, fault.code, fault.description ?? 'Rate limit is exceeded.', [], {
            'Retry-After': String(seconds),
          });
        }
        const headers: Record<string, string> =
          fault.retryAfterSeconds !== undefined
            ? { 'Retry-After': String(fault.retryAfterSeconds) }
            : {};
        if (scope === 'arm' && fault.code === undefined) {
          return armError(
            status,
            'InjectedFault',
            fault.description ?? `Injected fault ${fault.id}.`,
            headers,
          );
        }
        return pcError(
          status,
          fault.code ?? DEFAULT_FAULT_CODES[status] ?? status,
          fault.description ?? `Injected fault ${fault.id}.`,
          [],
          headers,
        );
      }
    }
  }

  private async control(
    request: Request,
    url: URL,
    path: string,
    method: string,
    bodyText: string,
    correlationId: string,
    requestId: string | null,
  ): Promise<Response> {
    const matched = this.deps.controlRoutes.match(method, path);
    if (matched === undefined || matched === 'methodMismatch') {
      return pcError(
        matched ? 405 : 404,
        matched ? 405 : 1000,
        `No control endpoint ${method} ${url.pathname}.`,
      );
    }
    const base = makeBaseRequest(
      this.deps.rt,
      request,
      url,
      path,
      matched.params,
      bodyText,
      correlationId,
      requestId,
    );
    try {
      const res = await matched.route.handle(base);
      if (method !== 'GET') {
        this.deps.rt.notifyChange();
      }
      return res;
    } catch (err) {
      return this.errorResponse(err);
    }
  }
}
