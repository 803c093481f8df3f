import { type z } from 'zod';
import {
  type ClientLogger,
  type FetchLike,
  type PcResponse,
  type RequestSpec,
} from './client-options.js';
import { pcErrorBodySchema } from './contracts/common.js';
import { isRetryableStatus, PartnerCenterError } from './errors.js';
import { type TokenProvider } from './token-provider.js';
import { callPurpose } from './call-purpose.js';

/** What one attempt needs of the client. */
export interface Transport {
  partnerTenantId: string;
  tokenProvider: TokenProvider;
  fetch: FetchLike;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number | undefined;
  applicationName?: string | undefined;
  /** Named with the URL host in network errors, so a step error says what could not be reached. */
  serviceName?: string | undefined;
  logger?: ClientLogger | undefined;
}

/**
 * One HTTP attempt with its own timeout: the token, Partner Center's headers, the call, and the
 * body validated against its contract. Failures come back as a {@link PartnerCenterError}
 * (retryable or not) for the caller's retry loop; only the caller's own abort throws.
 */
export async function attemptRequest<S extends z.ZodTypeAny>(
  transport: Transport,
  spec: RequestSpec<S>,
  url: URL,
  operation: string,
  requestId: string,
  correlationId: string,
): Promise<{ response: PcResponse<z.infer<S>> } | { error: PartnerCenterError }> {
  const base = { operation, requestId, correlationId };
  const timeoutMs = transport.timeoutMs ?? 30_000;
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException('Partner Center call timed out', 'TimeoutError')),
    timeoutMs,
  );
  const signal = spec.signal ? AbortSignal.any([spec.signal, timeout.signal]) : timeout.signal;
  try {
    const token = await transport.tokenProvider.getToken(transport.partnerTenantId, signal);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
      'MS-RequestId': requestId,
      'MS-CorrelationId': correlationId,
      'MS-Contract-Version': 'v1',
      ...(transport.applicationName
        ? { 'MS-PartnerCenter-Application': transport.applicationName }
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
      response = await transport.fetch(url.toString(), {
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
          description: `${transport.serviceName ?? 'Partner Center'} (${url.host}): ${
            timedOut
              ? `no response within ${timeoutMs} ms`
              : cause instanceof Error
                ? cause.message
                : String(cause)
          }`,
          retryable: true,
          cause,
        }),
      };
    }
    transport.logger?.debug(
      { operation, status: response.status, requestId, correlationId, purpose: callPurpose() },
      'partner center call',
    );
    if (!response.ok) {
      return { error: errorFromResponse(response, text, base) };
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

function errorFromResponse(
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
