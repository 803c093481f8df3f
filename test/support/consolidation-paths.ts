import { expect } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, PC_BASE_URL, startTestApp, type TestApp, type TestAppOptions } from './app.js';
import {
  PLAN_CONSOLIDATION,
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from './consolidation.js';

/** The consolidation's items with their path (issue 15), for the transfer-path tests. */
export const CONSOLIDATION_PATHS = /* GraphQL */ `
  query Paths($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        id
        status
        blockers {
          code
          message
          subject
          customer {
            tenantId
            companyName
          }
        }
        billingOverlap {
          itemsWithOverlap
          maxOverlapDays
        }
        transferWaves {
          sourceTenantId
          wave
          customers
          subscriptions
          planned
        }
        customers(first: 100) {
          edges {
            node {
              state
              waitingReason
              customer {
                tenantId
                companyName
              }
              items {
                kind
                path
                pathReason
                transferId
                seats
                status
                detail
                overlapDays
                source {
                  subscriptionId
                  offerId
                  quantity
                  status
                  commitmentEndDate
                }
                target {
                  subscriptionId
                  offerId
                  quantity
                  status
                  commitmentEndDate
                }
              }
            }
          }
        }
      }
    }
  }
`;

export interface PathSub {
  subscriptionId: string;
  offerId: string;
  quantity: number;
  status: string;
  commitmentEndDate: string | null;
}

export interface PathItem {
  kind: string;
  path: string;
  pathReason: string | null;
  transferId: string | null;
  seats: number;
  status: string;
  detail: string | null;
  overlapDays: number | null;
  source: PathSub;
  target: PathSub | null;
}

export interface PathsState {
  id: string;
  status: string;
  blockers: Array<{
    code: string;
    message: string;
    subject: string | null;
    customer: { tenantId: string; companyName: string } | null;
  }>;
  billingOverlap: { itemsWithOverlap: number; maxOverlapDays: number };
  transferWaves: Array<{
    sourceTenantId: string;
    wave: number;
    customers: number;
    subscriptions: number;
    planned: boolean;
  }>;
  customers: {
    edges: Array<{
      node: {
        state: string;
        waitingReason: string | null;
        customer: { tenantId: string; companyName: string };
        items: PathItem[];
      };
    }>;
  };
}

export async function pathsState(t: TestApp, token: string, id: string): Promise<PathsState> {
  const data = await gqlData<{ node: PathsState }>(t, CONSOLIDATION_PATHS, {
    token,
    variables: { id },
  });
  return data?.node as PathsState;
}

/** Partner Center writes and reads the emulator journalled, by kind. */
export function journalCounts(emulator: Emulator, sinceSeq = 0) {
  const entries = emulator.control.requests().filter((e) => e.seq > sinceSeq);
  const v1 = entries.filter((e) => e.path.startsWith('/v1/'));
  return {
    total: v1.length,
    orders: v1.filter((e) => e.method === 'POST' && /\/orders$/i.test(e.path)).length,
    transfersCreated: v1.filter((e) => e.method === 'POST' && /\/transfers$/i.test(e.path)).length,
    transfersAccepted: v1.filter((e) => e.method === 'PATCH' && /\/transfers\//i.test(e.path))
      .length,
    lastSeq: entries.at(-1)?.seq ?? sinceSeq,
  };
}

/** A subscription as a partner tenant sees it in Partner Center (null when it does not). */
export async function pcSubscription(
  emulator: Emulator,
  tenantId: string,
  customerTenantId: string,
  subscriptionId: string,
): Promise<{ id: string; status: string; quantity: number; offerId: string } | null> {
  const res = await emulator.fetch(
    `${PC_BASE_URL}/v1/customers/${customerTenantId}/subscriptions/${subscriptionId}`,
    { headers: { authorization: `Bearer ${emulator.tokenFor(tenantId)}` } },
  );
  return res.status === 200 ? ((await res.json()) as never) : null;
}

export interface World {
  emulator: Emulator;
  t: TestApp;
  token: string;
  target: TenantRow;
  sources: TenantRow[];
}

let world: World | undefined;

/** Closes the world `boot` opened (afterEach). */
export async function closeWorld(): Promise<void> {
  await world?.t.close();
  world = undefined;
}

export async function boot(
  scenario: NonNullable<Parameters<typeof createEmulator>[0]>['scenario'],
  options: Pick<TestAppOptions, 'tokenProvider'> & {
    /** Wraps the API's Partner Center fetch (e.g. to see the context a call is made in). */
    wrapFetch?: (fetch: Emulator['fetch']) => Emulator['fetch'];
  } = {},
): Promise<World> {
  const { wrapFetch, ...appOptions } = options;
  const emulator = createEmulator({ scenario, seed: 7 });
  const t = await startTestApp({
    ...appOptions,
    emulator: wrapFetch ? { fetch: wrapFetch(emulator.fetch) } : emulator,
    clock: clockFrom(emulator.clock),
    env: { WORKFLOW_RUNNER: 'off' },
    runner: { retryBaseMs: 1, retryMaxMs: 5 },
  });
  const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
    ?.organizationId as string;
  const token = await t.token(organizationId);
  world = { emulator, t, token, ...(await demoTenants(t, emulator, token)) };
  return world;
}

export async function customerIdsOf(w: World, skipLabel = 'never-accepts'): Promise<string[]> {
  const skip = new Set(
    w.emulator.control
      .customers()
      .filter((c) => c.labels.includes(skipLabel))
      .map((c) => c.tenantId),
  );
  const ids: string[] = [];
  for (const source of w.sources) {
    const res = await w.t.gql<{
      customers: { edges: Array<{ node: { id: string; tenantId: string } }> };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
      { token: w.token, variables: { id: source.id } },
    );
    ids.push(
      ...(res.body.data?.customers.edges ?? [])
        .filter((e) => !skip.has(e.node.tenantId))
        .map((e) => e.node.id),
    );
  }
  return ids;
}

export async function plan(
  w: World,
  customerIds: string[] | null,
  options?: Record<string, unknown>,
): Promise<string> {
  const res = await w.t.gql<{
    planTenantConsolidation: {
      workflow: { id: string } | null;
      userErrors: Array<{ code: string }>;
    };
  }>(PLAN_CONSOLIDATION, {
    token: w.token,
    variables: {
      input: {
        sourcePartnerTenantIds: w.sources.map((s) => s.id),
        targetPartnerTenantId: w.target.id,
        ...(customerIds ? { customerIds } : {}),
        ...(options ? { options } : {}),
      },
    },
  });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.planTenantConsolidation.userErrors).toEqual([]);
  return res.body.data?.planTenantConsolidation.workflow?.id as string;
}

export async function startAndFinish(
  w: World,
  id: string,
  maxSteps = 400,
  onFinished?: () => void,
): Promise<PathsState> {
  const started = await w.t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
    'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
    { token: w.token, variables: { id } },
  );
  expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
  await playUntil(
    w.t,
    w.emulator,
    async () => ['COMPLETED', 'FAILED'].includes(await workflowStatus(w.t, w.token, id)),
    { maxSteps },
  );
  // Before the GraphQL read below, which reads the live subscriptions itself.
  onFinished?.();
  return pathsState(w.t, w.token, id);
}

/**
 * Plans every customer, then one customer whose every item moves by transfer (two or more
 * new-commerce licenses) on its own, and starts that consolidation. `sinceSeq`: the emulator's
 * last journal entry before the start (planning read the lists too).
 */
export async function startOneTransferCustomer(
  w: World,
): Promise<{ id: string; customerTenantId: string; sinceSeq: number }> {
  const all = await customerIdsOf(w);
  const first = await pathsState(w.t, w.token, await plan(w, all));
  const chosen = first.customers.edges
    .map((e) => e.node)
    .find(
      (c) =>
        c.state !== 'BLOCKED' &&
        c.items.length >= 2 &&
        c.items.every((i) => i.path === 'TRANSFER') &&
        c.items.filter((i) => i.source.offerId.includes(':')).length >= 2,
    );
  expect(chosen).toBeTruthy();
  const customerTenantId = chosen!.customer.tenantId;
  const gid = all.find((g) => Buffer.from(g, 'base64').toString().includes(customerTenantId));
  const id = await plan(w, [gid as string]);
  const sinceSeq = w.emulator.control.requests().at(-1)?.seq ?? 0;
  const started = await w.t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
    'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
    { token: w.token, variables: { id } },
  );
  expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
  return { id, customerTenantId, sinceSeq };
}
