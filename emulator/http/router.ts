import type { ZodTypeAny, z } from 'zod';
import type { PartnerTenantRecord } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { parseBody } from './body.js';

/** Throttling families (throttling/token-buckets.ts); `none` is never throttled. */
export type ThrottleFamily =
  | 'customers'
  | 'subscriptions'
  | 'orders'
  | 'product_upgrades'
  | 'agreements'
  | 'offers'
  | 'service_requests'
  | 'audit_records'
  | 'arm'
  | 'graph'
  | 'invoices'
  | 'transfers'
  | 'migrations'
  | 'migration_create'
  | 'migration_validate'
  | 'none';

export interface BaseRequest {
  rt: EmulatorRuntime;
  request: Request;
  url: URL;
  /** Normalised path: `/v1/...`, `/arm/...` (ARM at management.azure.com is mapped here), `/_emulator/...`. */
  path: string;
  params: Record<string, string>;
  bodyText: string;
  correlationId: string;
  requestId: string | null;
  /** Case-insensitive query parameter. */
  query(name: string): string | null;
  header(name: string): string | null;
  body<S extends ZodTypeAny>(schema: S): z.output<S>;
}

export interface PcRequest extends BaseRequest {
  tenant: PartnerTenantRecord;
  actor: Actor;
}

export interface PcRoute {
  method: string;
  pattern: string;
  family: ThrottleFamily;
  /** Route param holding the customer tenant id, for partner+customer throttling keys. */
  customerParam?: string;
  handle(req: PcRequest): Response | Promise<Response>;
}

export interface ControlRoute {
  method: string;
  pattern: string;
  handle(req: BaseRequest): Response | Promise<Response>;
}

interface Compiled<R> {
  route: R;
  regex: RegExp;
  names: string[];
}

/** A tiny case-insensitive router (Partner Center paths are case-insensitive: productUpgrades). */
export class Router<R extends { method: string; pattern: string }> {
  private readonly compiled: Compiled<R>[];

  constructor(routes: R[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((seg) => {
          if (seg.startsWith(':')) {
            names.push(seg.slice(1));
            return '([^/]+)';
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { route, regex: new RegExp(`^${source}$`, 'i'), names };
    });
  }

  /** The route for a method and path; `methodMismatch` when only the method differs. */
  match(
    method: string,
    path: string,
  ): { route: R; params: Record<string, string> } | 'methodMismatch' | undefined {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) {
        continue;
      }
      pathMatched = true;
      if (c.route.method !== method.toUpperCase()) {
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route: c.route, params };
    }
    return pathMatched ? 'methodMismatch' : undefined;
  }
}

export function makeBaseRequest(
  rt: EmulatorRuntime,
  request: Request,
  url: URL,
  path: string,
  params: Record<string, string>,
  bodyText: string,
  correlationId: string,
  requestId: string | null,
): BaseRequest {
  return {
    rt,
    request,
    url,
    path,
    params,
    bodyText,
    correlationId,
    requestId,
    query(name: string): string | null {
      const lower = name.toLowerCase();
      for (const [k, v] of url.searchParams) {
        if (k.toLowerCase() === lower) {
          return v;
        }
      }
      return null;
    },
    header(name: string): string | null {
      return request.headers.get(name);
    },
    body<S extends ZodTypeAny>(schema: S): z.output<S> {
      return parseBody(bodyText, schema);
    },
  };
}
