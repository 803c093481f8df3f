/** What a Partner Center request journal line needs to be counted (the emulator's JournalEntry). */
export interface JournalLine {
  method: string;
  path: string;
  tenantId: string | null;
  customerTenantId?: string | null;
}

export interface CallBudget {
  calls: number;
  migrated: number;
  callsPerSubscription: number;
  /** `METHOD /v1/route/{id}` → calls. */
  byRoute: Record<string, number>;
  /** Partner tenant → calls (the busiest one bounds the run at 500 requests/min). */
  byTenant: Record<string, number>;
}

const ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-Za-z-]*\d[0-9A-Za-z-]*)$/i;

/** A request path with its ids replaced by `{id}` (GUIDs, and segments with a digit). */
export function routeOf(method: string, path: string): string {
  const [pathname] = path.split('?');
  const route = (pathname ?? '')
    .split('/')
    .map((segment, i) => (i > 1 && ID.test(segment) ? '{id}' : segment))
    .join('/');
  return `${method.toUpperCase()} ${route}`;
}

/** Partner Center calls (control API and token requests left out) per migrated subscription. */
export function callBudget(
  lines: JournalLine[],
  options: {
    migrated: number;
    /**
     * Count only these customers' calls (and every call that names no customer, in full: the
     * tenant-level reads they share), e.g. the customers whose subscriptions all re-provision.
     */
    customers?: ReadonlySet<string>;
    /** Routes (`METHOD /v1/...{id}`) left out. */
    skip?: (route: string) => boolean;
  },
): CallBudget {
  const byRoute: Record<string, number> = {};
  const byTenant: Record<string, number> = {};
  let calls = 0;
  for (const line of lines) {
    if (!line.path.startsWith('/v1/')) {
      continue;
    }
    const customer = (line.customerTenantId ?? customerOf(line.path))?.toLowerCase();
    if (options.customers && customer && !options.customers.has(customer)) {
      continue;
    }
    const route = routeOf(line.method, line.path);
    if (options.skip?.(route)) {
      continue;
    }
    calls += 1;
    byRoute[route] = (byRoute[route] ?? 0) + 1;
    const tenant = line.tenantId ?? '?';
    byTenant[tenant] = (byTenant[tenant] ?? 0) + 1;
  }
  return {
    calls,
    migrated: options.migrated,
    callsPerSubscription: calls / Math.max(1, options.migrated),
    byRoute,
    byTenant,
  };
}

/**
 * The customer a `/v1/customers/{id}/...` path names (not `relationshiprequests` and the like), or
 * an audit read's `CustomerId` filter (reference §8): one customer's audit read is its own call.
 */
function customerOf(path: string): string | null {
  const named = /^\/v1\/customers\/([0-9a-f-]{36})(?:[/?]|$)/i.exec(path)?.[1];
  if (named) {
    return named;
  }
  if (!/^\/v1\/auditrecords\?/i.test(path)) {
    return null;
  }
  try {
    const filter = new URLSearchParams(path.split('?')[1]).get('filter');
    const parsed = JSON.parse(filter ?? 'null') as { Field?: unknown; Value?: unknown } | null;
    return String(parsed?.Field).toLowerCase() === 'customerid' && typeof parsed?.Value === 'string'
      ? parsed.Value
      : null;
  } catch {
    return null;
  }
}

// ---- the bench's figures (bench/run.ts) --------------------------------------------------------

/** Partner Center's budget per partner tenant (requests per minute) the projection assumes. */
export const PROJECTION_RATE_PER_MINUTE = 500;
export const PROJECTION_SUBSCRIPTIONS = 10_000;

/** Items that carry one subscription each, by path. */
const PATH_KINDS = {
  reprovision: ['LICENSE_REPROVISION'],
  transfer: ['SUBSCRIPTION_TRANSFER'],
} as const;
/** Items that stand for no subscription (the customer, a transfer request, a support request). */
const HELPER_KINDS = new Set(['CUSTOMER', 'TRANSFER_REQUEST', 'SUPPORT_REQUEST']);

export interface PathFigure {
  /** Calls per migrated subscription; null when no customer took this path only. */
  callsPerSubscription: number | null;
  reason?: string;
  customers: number;
  subscriptions: number;
  calls: number;
  /** The tenant with the most of these calls (the one whose 500/min bounds the run). */
  limitingTenantCallsPerSubscription: number | null;
  /** A 10,000-subscription consolidation at 500 requests/min on the limiting tenant. */
  projectedMinutesFor10k: number | null;
  byRoute: Record<string, number>;
  /**
   * Calls of these customers after their move, to watch it (the transfer-integrity watch: one
   * list per side per check, CONSOLIDATION_TRANSFER_WATCH): not in `calls`, counted here.
   */
  watchCalls: number;
  /** (calls + watchCalls) per migrated subscription; null as callsPerSubscription. */
  callsPerSubscriptionWithWatch: number | null;
}

export interface BenchCalls {
  /** [ms, tenant index, status, customer index (-1 none), route index, purpose index (-1 none)]. */
  calls: Array<[number, number, number, number, number, number?]>;
  tenants: string[];
  customers: string[];
  routes: string[];
  purposes?: string[];
}

/** Calls made to watch a completed move, not to make it (server/partner-center/call-purpose.ts). */
const WATCH_PURPOSES = new Set(['transfer-integrity-watch']);

/**
 * Calls per migrated subscription by path, from the API's call journal and the workflow's items:
 * a customer counts for a path when every subscription item of it took that path (customers with
 * mixed paths, e.g. an Azure subscription beside licenses, count for neither). Calls that name no
 * customer (the invitation URL, offers) are shared reads and counted in full for each path; the
 * Microsoft support request belongs to the Azure path and is left out.
 */
export function pathFigures(
  stats: BenchCalls,
  customerItems: Array<{ customer: string | null; kind: string; status: string; n: number }>,
): { reprovision: PathFigure; transfer: PathFigure } {
  const byCustomer = new Map<string, Array<{ kind: string; status: string; n: number }>>();
  for (const row of customerItems) {
    if (!row.customer || HELPER_KINDS.has(row.kind)) {
      continue;
    }
    const key = row.customer.toLowerCase();
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), row]);
  }
  const figure = (path: keyof typeof PATH_KINDS): PathFigure => {
    const kinds: readonly string[] = PATH_KINDS[path];
    const customers = new Set<string>();
    let subscriptions = 0;
    for (const [customer, rows] of byCustomer) {
      if (rows.length > 0 && rows.every((r) => kinds.includes(r.kind))) {
        customers.add(customer);
        subscriptions += rows.filter((r) => r.status === 'DONE').reduce((a, r) => a + r.n, 0);
      }
    }
    const byRoute: Record<string, number> = {};
    const byTenant = new Map<number, number>();
    let calls = 0;
    let watchCalls = 0;
    for (const [, tenant, , customerIndex, routeIndex, purposeIndex = -1] of stats.calls) {
      const route = stats.routes[routeIndex] ?? '?';
      const customer = customerIndex >= 0 ? stats.customers[customerIndex] : undefined;
      if ((customer && !customers.has(customer)) || route.includes('/servicerequests')) {
        continue;
      }
      if (purposeIndex >= 0 && WATCH_PURPOSES.has(stats.purposes?.[purposeIndex] ?? '')) {
        watchCalls += 1;
        continue;
      }
      calls += 1;
      byRoute[route] = (byRoute[route] ?? 0) + 1;
      byTenant.set(tenant, (byTenant.get(tenant) ?? 0) + 1);
    }
    if (subscriptions === 0) {
      return {
        callsPerSubscription: null,
        reason:
          path === 'transfer'
            ? 'no customer of this run moved by partner-to-partner transfer (no SUBSCRIPTION_TRANSFER items: the transfer path is not in this build, or the scenario has no new-commerce subscriptions; --workflow-scenario=large-today)'
            : 'no customer of this run moved by re-provisioning only',
        customers: 0,
        subscriptions: 0,
        calls: 0,
        limitingTenantCallsPerSubscription: null,
        projectedMinutesFor10k: null,
        byRoute: {},
        watchCalls: 0,
        callsPerSubscriptionWithWatch: null,
      };
    }
    const limiting = Math.max(0, ...byTenant.values()) / subscriptions;
    return {
      callsPerSubscription: calls / subscriptions,
      customers: customers.size,
      subscriptions,
      calls,
      limitingTenantCallsPerSubscription: limiting,
      projectedMinutesFor10k: (limiting * PROJECTION_SUBSCRIPTIONS) / PROJECTION_RATE_PER_MINUTE,
      byRoute,
      watchCalls,
      callsPerSubscriptionWithWatch: (calls + watchCalls) / subscriptions,
    };
  };
  return { reprovision: figure('reprovision'), transfer: figure('transfer') };
}
