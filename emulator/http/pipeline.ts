import { readToken } from './auth.js';
import { toGraphShape } from './graph-responses.js';
import type { JournalEntry } from './journal.js';
import {
  runStages,
  type PipelineDeps,
  type RequestContext,
  type Scope,
  type Stage,
} from './request-context.js';
import { pcError } from './responses.js';
import { authStage } from './stages/auth.stage.js';
import { controlAuthStage } from './stages/control-auth.stage.js';
import { controlRouteStage } from './stages/control.stage.js';
import { faultEarlyRetryStage, faultStage } from './stages/fault.stage.js';
import { handleStage } from './stages/handle.stage.js';
import { replayStage } from './stages/replay.stage.js';
import { routeStage } from './stages/route.stage.js';
import { throttleStage } from './stages/throttle.stage.js';

export type { PipelineDeps, RequestContext, Scope, Stage } from './request-context.js';

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

/** Partner Center and ARM requests, in order; the first stage that answers wins. */
export const PC_STAGES: readonly Stage[] = [
  faultEarlyRetryStage,
  faultStage,
  authStage,
  routeStage,
  throttleStage,
  replayStage,
  handleStage,
];

/** The control API (`/_emulator/*`). */
export const CONTROL_STAGES: readonly Stage[] = [controlAuthStage, controlRouteStage];

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

/**
 * The one request pipeline behind msw handlers, `emulator.fetch` and the standalone server:
 * normalise path → scope → (control API: token → route) or faults → auth → route → throttling → MS-RequestId
 * replay → handler, then journal → due actions → change listeners.
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
    const ctx = await this.context(request);
    const res = await this.dispatchContext(ctx);
    // Microsoft Graph (GDAP) answers every error in its own shape.
    return ctx.scope === 'graph' ? toGraphShape(res) : res;
  }

  private async dispatchContext(ctx: RequestContext): Promise<Response> {
    if (ctx.scope === 'control') {
      return (
        (await runStages(CONTROL_STAGES, ctx)) ??
        pcError(500, 800003, 'Unexpected error in the emulator: no control stage answered.')
      );
    }
    const { rt, journal } = this.deps;
    const started = performance.now();
    const res =
      (await runStages(PC_STAGES, ctx)) ??
      pcError(500, 800003, 'Unexpected error in the emulator: no stage answered.');
    const { entry } = ctx;
    entry.status = res.type === 'error' ? 0 : res.status;
    entry.durationMs = Math.round(performance.now() - started);
    journal.add(entry);
    rt.runDue();
    const out = withHeaders(res, {
      'MS-CorrelationId': ctx.correlationId,
      'MS-RequestId': ctx.requestId ?? ctx.correlationId,
    });
    if (ctx.changed) {
      rt.notifyChange();
    }
    return out;
  }

  private async context(request: Request): Promise<RequestContext> {
    const { rt, journal } = this.deps;
    const url = new URL(request.url);
    const path = normalisePath(url);
    const scope = scopeOf(path);
    const correlationId = request.headers.get('MS-CorrelationId') ?? this.nextCorrelationId();
    const requestId = request.headers.get('MS-RequestId');
    const method = request.method.toUpperCase();
    const bodyText = method === 'GET' || method === 'HEAD' ? '' : await request.text();
    const token =
      scope === 'control'
        ? ({ ok: false, reason: 'missing' } as const)
        : readToken(
            request.headers.get('Authorization'),
            rt.options.auth.verifySignature ? { secret: rt.options.auth.secret } : undefined,
          );
    let customerTenantId = /^\/v1\/customers\/([^/]+)/i.exec(path)?.[1] ?? null;
    if (customerTenantId?.toLowerCase() === 'relationshiprequests') {
      customerTenantId = null;
    }
    const entry: JournalEntry = {
      seq: scope === 'control' ? 0 : journal.nextSeq(),
      time: rt.nowIso(),
      method,
      path: `${path}${url.search}`,
      tenantId: token.ok ? token.claims.tid : null,
      customerTenantId,
      status: 0,
      requestId,
      correlationId,
      faultId: null,
      throttled: false,
      replayed: false,
      earlyRetry: false,
      durationMs: 0,
    };
    return {
      deps: this.deps,
      request,
      url,
      path,
      scope,
      method,
      bodyText,
      correlationId,
      requestId,
      entry,
      token,
      changed: false,
    };
  }
}
