import { type Emulator } from 'partner-center-emulator';
import { gqlData, PC_BASE_URL, type TestApp } from './app.js';

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
