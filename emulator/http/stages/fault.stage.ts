import type { FaultRuleState } from '../../faults/fault-registry.js';
import type { RequestContext, Scope, Stage } from '../request-context.js';
import { pcError } from '../responses.js';
import { armError, throttledResponse } from './shared-responses.js';

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

function faultKey(ctx: RequestContext): string {
  return `fault:${ctx.entry.tenantId ?? '-'}:${ctx.method}:${ctx.path.toLowerCase()}`;
}

/** Early-retry check for a fault-injected 429 on this exact operation; never answers. */
export const faultEarlyRetryStage: Stage = (ctx) => {
  const { entry } = ctx;
  if (entry.tenantId) {
    entry.earlyRetry = ctx.deps.throttler.checkEarlyRetry(faultKey(ctx), {
      tenantId: entry.tenantId,
      method: ctx.method,
      path: ctx.path,
      requestId: ctx.requestId,
      at: entry.time,
    });
  }
  return undefined;
};

/** Applies the first matching fault rule (before authentication, as a network fault would). */
export const faultStage: Stage = async (ctx) => {
  const { entry } = ctx;
  const fault = ctx.deps.faults.take({
    method: ctx.method,
    paths: [ctx.path, ctx.url.pathname],
    tenantId: entry.tenantId,
    customerTenantId: entry.customerTenantId,
  });
  if (!fault) {
    return undefined;
  }
  entry.faultId = fault.id;
  const faulted = await applyFault(ctx, fault, ctx.scope);
  if (faulted?.status === 429 && entry.tenantId) {
    ctx.deps.throttler.noteRetryAfter(
      faultKey(ctx),
      Number(faulted.headers.get('Retry-After') ?? '0'),
    );
  }
  return faulted;
};

async function applyFault(
  ctx: RequestContext,
  fault: FaultRuleState,
  scope: Scope,
): Promise<Response | undefined> {
  const signal = ctx.request.signal;
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
      const aborted = await sleep(fault.hangMs ?? ctx.deps.rt.options.hangMs, signal);
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
