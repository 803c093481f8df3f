import { encodeId } from '../server/shared/ids.js';
import { acceptAll, layout, plan } from './consolidation-driver.js';
import { runLoad, type LoadResult } from './load.js';
import { ServerProcess } from './server-process.js';

// The API read benchmark of `npm run bench` (bench/run.ts): the `{ __typename }` floor, a warm
// customers page and a consolidation's page, closed-loop over keep-alive connections.

export interface ApiBenchOptions {
  customers: number;
  seconds: number;
  connections: number;
  /** false: GRAPHQL_RESPONSE_CACHE_TTL=PT0S (the pages built on every request). */
  responseCache: boolean;
  log: (message: string) => void;
}

/** Rounds of the cold customers-page measurement (each: `connections` requests at once). */
const COLD_ROUNDS = 5;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

// ---- API reads ---------------------------------------------------------------------------------

export const CUSTOMERS_PAGE = /* GraphQL */ `
  query Page($id: ID!) {
    customers(partnerTenantId: $id, first: 50) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          tenantId
          companyName
          domain
          subscriptions(first: 20) {
            totalCount
            edges {
              node {
                id
                subscriptionId
                offerId
                offerName
                quantity
                status
                billingType
              }
            }
          }
        }
      }
    }
  }
`;

export const WORKFLOW_PAGE = /* GraphQL */ `
  query Workflow($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        id
        status
        progress {
          completed
          total
        }
        customers(first: 100) {
          totalCount
          edges {
            node {
              state
              waitingReason
              customer {
                id
                tenantId
                companyName
              }
              items {
                kind
                seats
                status
                detail
                targetActiveAt
                sourceSuspendedAt
                source {
                  subscriptionId
                  offerId
                  quantity
                  status
                }
                target {
                  subscriptionId
                  offerId
                  quantity
                  status
                }
              }
            }
          }
        }
        events(first: 100) {
          totalCount
          edges {
            node {
              at
              type
              message
              subscriptionId
            }
          }
        }
      }
    }
  }
`;

export interface ApiReport {
  floor: LoadResult;
  customersPage: LoadResult & {
    ratioToFloor: number;
    pcCallsPerRequest: number;
    cacheHitRatio: number;
    coldMs: number;
    coldPcCalls: number;
    /** Cold rounds: both caches emptied, then `connections` pages at once (p50/p99 of all). */
    coldP50Ms: number;
    coldP99Ms: number;
    coldSamples: number;
    responseCacheHitRatio: number;
  };
  workflowPage: LoadResult & {
    ratioToFloor: number;
    pcCallsPerRequest: number;
    items: number;
    responseCacheHitRatio: number;
    /** Why responses were not stored during the run (reason → count). */
    responseCacheSkipped: Record<string, number>;
    /** What made stored responses stale during the run (what changed → count). */
    responseCacheStaleBy: Record<string, number>;
  };
}

async function load(
  options: ApiBenchOptions,
  server: ServerProcess,
  query: string,
  variables: (n: number) => Record<string, unknown>,
): Promise<LoadResult> {
  return runLoad({
    url: server.ready.graphqlUrl,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.ready.token}`,
    },
    body: (n) => JSON.stringify({ query, variables: variables(n) }),
    connections: options.connections,
    durationMs: options.seconds * 1000,
    warmupMs: 1_000,
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function apiBench(options: ApiBenchOptions): Promise<ApiReport> {
  const { log } = options;
  log(
    `api: large:${options.customers}, ${options.connections} connections, ${options.seconds}s each`,
  );
  const server = await ServerProcess.start({
    scenario: `large:${options.customers}`,
    throttlePerSecond: null,
    latencyMs: 0,
    // One bench user stands for many front-end users: lift the per-user cost budget (issue 8).
    env: {
      GRAPHQL_COST_BUDGET: '100000000',
      GRAPHQL_COST_RESTORE_RATE: '100000000',
      ...(options.responseCache ? {} : { GRAPHQL_RESPONSE_CACHE_TTL: 'PT0S' }),
    },
  });
  try {
    const l = await layout(server);
    const tenantIds = l.sources.map((s) => encodeId('PartnerTenant', s.tenantId));

    // A workflow of ~100 items to show: 9 customers (9 + 9×10 subscriptions + support request).
    const picked = l.customers
      .filter((c) => c.sourceTenantId === l.sources[0]?.tenantId)
      .slice(0, 9);
    await acceptAll(server, l.target.tenantId, picked);
    const planned = await plan(server, l, picked);
    await server.gql(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { message } } }',
      {
        id: planned.id,
      },
    );
    await waitFor(async () => {
      const { node } = await server.gql<{ node: { status: string } }>(
        'query($id: ID!) { node(id: $id) { ... on Workflow { status } } }',
        { id: planned.id },
      );
      return node.status !== 'RUNNING';
    }, 120_000);

    const floor = await load(options, server, '{ __typename }', () => ({}));
    log(`api.floor ${round(floor.rps)} rps`);

    // Cold: the first read of each tenant's first page.
    let since = await server.reset();
    const t0 = performance.now();
    for (const id of tenantIds) {
      await server.gql(CUSTOMERS_PAGE, { id });
    }
    const coldMs = (performance.now() - t0) / tenantIds.length;
    const coldPcCalls = (await server.stats(since)).calls.length / tenantIds.length;

    // Cold at 10 connections: both caches emptied, then one page per connection at once (the
    // tenants' reads shared by the read cache's single flight), COLD_ROUNDS times.
    const coldSamples: number[] = [];
    for (let round = 0; round < COLD_ROUNDS; round++) {
      await server.cold();
      await Promise.all(
        Array.from({ length: options.connections }, async (_, i) => {
          const start = performance.now();
          await server.gql(CUSTOMERS_PAGE, { id: tenantIds[(round + i) % tenantIds.length] });
          coldSamples.push(performance.now() - start);
        }),
      );
    }
    coldSamples.sort((a, b) => a - b);
    const pct = (p: number) =>
      coldSamples[
        Math.min(coldSamples.length - 1, Math.ceil((p / 100) * coldSamples.length) - 1)
      ] ?? 0;
    log(`api.customersPage cold p50 ${round(pct(50))} ms, p99 ${round(pct(99))} ms`);

    since = await server.reset();
    const page = await load(options, server, CUSTOMERS_PAGE, (n) => ({
      id: tenantIds[n % tenantIds.length],
    }));
    const pageStats = await server.stats(since);
    log(`api.customersPage ${round(page.rps)} rps, p99 ${round(page.p99Ms)} ms`);

    since = await server.reset();
    const wfPage = await load(options, server, WORKFLOW_PAGE, () => ({ id: planned.id }));
    const wfStats = await server.stats(since);
    log(`api.workflowPage ${round(wfPage.rps)} rps, p99 ${round(wfPage.p99Ms)} ms`);

    return {
      floor,
      customersPage: {
        ...page,
        ratioToFloor: page.rps / floor.rps,
        pcCallsPerRequest: pageStats.calls.length / Math.max(1, page.requests),
        cacheHitRatio: pageStats.cache.hitRatio,
        coldMs,
        coldPcCalls,
        coldP50Ms: pct(50),
        coldP99Ms: pct(99),
        coldSamples: coldSamples.length,
        responseCacheHitRatio: pageStats.responseCache.hitRatio,
      },
      workflowPage: {
        ...wfPage,
        ratioToFloor: wfPage.rps / floor.rps,
        pcCallsPerRequest: wfStats.calls.length / Math.max(1, wfPage.requests),
        items: planned.items,
        responseCacheHitRatio: wfStats.responseCache.hitRatio,
        responseCacheSkipped: wfStats.responseCache.skipped,
        responseCacheStaleBy: wfStats.responseCache.staleBy,
      },
    };
  } finally {
    await server.stop();
  }
}
